#!/usr/bin/env bash
# Installs the FerretDB server binary that Helpline uses as its embedded database.
# Usage: scripts/install-ferretdb.sh [TARGET_DIR]   (default: $(go env GOPATH)/bin)
#
# FerretDB reads its own version from build/version/version.txt, a file that only its release
# build writes: a binary made by a plain `go install ...@v1.24.2` panics at start. So this script
# never uses `go install`. It downloads the module by exact version (checked against the checksum
# database as usual), builds ./cmd/ferretdb from a copy that has the version file, and proves the
# result runs (`ferretdb --version` exits 0) before it puts it in place. A binary already in
# TARGET_DIR is kept only when it runs and carries the fix below; otherwise it is replaced.
#
# The fix: FerretDB v1's SQLite backend creates its unique `_id` index on the expression
# `_ferretdb_sjson->"_id"` but looks documents up with `_ferretdb_sjson->'$._id'`. SQLite matches
# index expressions by their text, so every `_id` lookup, update and delete scanned the whole
# table (EXPLAIN QUERY PLAN: "SCAN" instead of "SEARCH ... USING INDEX"): measured, an
# `updateOne({_id})` took 0.9 ms of FerretDB CPU at 100 documents, 12 ms at 2,000 and 31 ms at
# 5,000. The build writes the lookup as `_ferretdb_sjson->'_id'`, which means the same in SQLite
# (a label without `$` is an object key) and is served by that index: 0.8 ms at 5,000. Stored
# data and indexes are unchanged, so a database written by either build is read by the other.
# The binary reports `package: helpline-sqlite-id-index` in `ferretdb --version`.
set -euo pipefail

VERSION="${FERRETDB_VERSION:-v1.24.2}"
MODULE="github.com/FerretDB/FerretDB"

say() { echo "install-ferretdb: $*" >&2; }

MARK="helpline-sqlite-id-index"
runs() { [ -x "$1" ] && "$1" --version >/dev/null 2>&1; }
# No pipe into `grep -q`: it exits at the match, FerretDB gets SIGPIPE, and pipefail calls that a failure.
fixed() {
  local v
  [ -x "$1" ] && v="$("$1" --version 2>/dev/null)" || return 1
  [[ $'\n'"$v"$'\n' == *$'\n'"package: $MARK"$'\n'* ]]
}

if ! command -v go >/dev/null 2>&1; then
  say "Go is not installed; cannot build FerretDB"
  exit 3
fi

TARGET_DIR="${1:-$(go env GOPATH)/bin}"
TARGET="$TARGET_DIR/ferretdb"
mkdir -p "$TARGET_DIR"

if [ -e "$TARGET" ]; then
  if fixed "$TARGET"; then
    say "a working FerretDB is already installed ($TARGET)"
    exit 0
  fi
  if runs "$TARGET"; then
    say "$TARGET runs but lacks the SQLite _id index fix (every _id lookup scans its table); rebuilding it"
  else
    say "$TARGET does not run (a plain 'go install' build panics without its version file); rebuilding it"
  fi
fi

say "building FerretDB $VERSION into $TARGET_DIR (first time only, one to two minutes)"
# Outside any module, so that a go.mod or go.work around the caller's folder plays no part.
WORK="$(mktemp -d)"
trap 'chmod -R u+w "$WORK" 2>/dev/null; rm -rf "$WORK"' EXIT
MODDIR="$(cd "$WORK" && GOFLAGS=-mod=mod GOWORK=off go mod download -json "$MODULE@$VERSION" |
  sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
if [ -z "$MODDIR" ] || [ ! -d "$MODDIR" ]; then
  say "could not download $MODULE@$VERSION from the Go module proxy"
  exit 4
fi
cp -r "$MODDIR" "$WORK/src"
chmod -R u+w "$WORK/src"
echo "$VERSION" >"$WORK/src/build/version/version.txt"
echo "$MARK" >"$WORK/src/build/version/package.txt"
META="$WORK/src/internal/backends/sqlite/metadata/metadata.go"
# shellcheck disable=SC2016 # the Go source's text, not a shell expansion
sed -i 's|IDColumn = DefaultColumn + "->'"'"'\$\._id'"'"'"|IDColumn = DefaultColumn + "->'"'"'_id'"'"'"|' "$META"
if ! grep -q "IDColumn = DefaultColumn + \"->'_id'\"" "$META"; then
  say "could not apply the SQLite _id index fix to $MODULE@$VERSION (its source differs from what this script knows)"
  exit 6
fi
(cd "$WORK/src" && GOWORK=off go build -trimpath -o "$WORK/ferretdb" ./cmd/ferretdb 2>&1 | sed -u 's/^/  go: /' >&2)

if ! fixed "$WORK/ferretdb"; then
  say "the binary built from $MODULE@$VERSION does not run:"
  "$WORK/ferretdb" --version 2>&1 | head -5 | sed 's/^/  /' >&2 || true
  exit 5
fi
# Same-folder rename: a concurrent start never sees a half-written binary.
cp "$WORK/ferretdb" "$TARGET.tmp.$$"
mv -f "$TARGET.tmp.$$" "$TARGET"
say "done: $("$TARGET" --version 2>/dev/null | head -1) at $TARGET"
