/** A console client over plain HTTP, as the console page talks to Helpline: cookie and CSRF token. */
export class ConsoleTestClient {
  cookie = '';
  csrf = '';

  constructor(private readonly baseUrl: string) {}

  async signIn(token: string): Promise<{ status: number; json: Record<string, unknown> }> {
    const res = await fetch(`${this.baseUrl}/console/api/session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ token }),
    });
    const json = (await res.json()) as Record<string, unknown>;
    const setCookie = res.headers.get('set-cookie') ?? '';
    this.cookie = setCookie.split(';')[0] ?? '';
    this.csrf = typeof json.csrfToken === 'string' ? json.csrfToken : '';
    return { status: res.status, json };
  }

  async get(path: string): Promise<{ status: number; json: Record<string, unknown> }> {
    const res = await fetch(`${this.baseUrl}/console/api${path}`, { headers: { Cookie: this.cookie } });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  }

  async post(
    path: string,
    body: unknown = {},
    headers: Record<string, string> = {},
  ): Promise<{ status: number; json: Record<string, unknown> }> {
    const res = await fetch(`${this.baseUrl}/console/api${path}`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Cookie: this.cookie,
        'X-CSRF-Token': this.csrf,
        ...headers,
      },
      body: JSON.stringify(body),
    });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  }
}
