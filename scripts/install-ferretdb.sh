#!/usr/bin/env bash
# Installs the FerretDB server binary that Helpline uses as its embedded database.
# Usage: scripts/install-ferretdb.sh [TARGET_DIR]   (default: $(go env GOPATH)/bin)
#
# First the ordinary `go install`. Some module proxies refuse the version list that
# `go install pkg@version` reads for its deprecation check; then the module is
# downloaded by exact version (checked against the checksum database as usual) and
# built from a copy, with the version file that the release build would have written.
set -euo pipefail

VERSION="${FERRETDB_VERSION:-v1.24.2}"
MODULE="github.com/FerretDB/FerretDB"

if ! command -v go >/dev/null 2>&1; then
  echo "install-ferretdb: Go is not installed; cannot build FerretDB" >&2
  exit 3
fi

TARGET_DIR="${1:-$(go env GOPATH)/bin}"
mkdir -p "$TARGET_DIR"

echo "install-ferretdb: installing FerretDB $VERSION into $TARGET_DIR (first time only, about a minute)" >&2
if GOBIN="$TARGET_DIR" go install -v "$MODULE/cmd/ferretdb@$VERSION" 2>&1 | sed -u 's/^/  go: /' >&2 && [ -x "$TARGET_DIR/ferretdb" ]; then
  echo "install-ferretdb: done ($TARGET_DIR/ferretdb)" >&2
  exit 0
fi

echo "install-ferretdb: 'go install' was refused; building from the downloaded module instead" >&2
MODDIR="$(go mod download -json "$MODULE@$VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
if [ -z "$MODDIR" ] || [ ! -d "$MODDIR" ]; then
  echo "install-ferretdb: could not download $MODULE@$VERSION" >&2
  exit 4
fi
WORK="$(mktemp -d)"
trap 'chmod -R u+w "$WORK" 2>/dev/null; rm -rf "$WORK"' EXIT
cp -r "$MODDIR" "$WORK/src"
chmod -R u+w "$WORK/src"
echo "$VERSION" > "$WORK/src/build/version/version.txt"
(cd "$WORK/src" && go build -v -o "$TARGET_DIR/ferretdb" ./cmd/ferretdb 2>&1 | sed -u 's/^/  go: /' >&2)
"$TARGET_DIR/ferretdb" --version >/dev/null
echo "install-ferretdb: done ($TARGET_DIR/ferretdb)" >&2
