// The one way the page talks to the gateway: call() adds "Authorization: Bearer <token>" when a token is stored,
// so the pages work unchanged once the gateway asks for tokens. Everything else here is built on call().

const TOKEN_KEY = 'falab.token';

export function token() {
  return localStorage.getItem(TOKEN_KEY) || '';
}

export function setToken(value) {
  if (value) {
    localStorage.setItem(TOKEN_KEY, value.trim());
  } else {
    localStorage.removeItem(TOKEN_KEY);
  }
}

// A link may carry the token as #token=...: store it, then take it out of the address bar (and of the history)
// so that it is not copied along with the address.
(function tokenFromFragment() {
  const match = location.hash.match(/[#&]token=([^&]*)/);
  if (match) {
    setToken(decodeURIComponent(match[1]));
    history.replaceState(null, '', location.pathname + location.search);
  }
})();

/**
 * The stored token's claims (its payload, base64url JSON), never verified here: for display only (whose the run is,
 * which buttons to show). The gateway checks the signature and enforces every rule. {} without a readable token.
 */
export function claims() {
  try {
    const payload = token().split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(atob(payload + '='.repeat((4 - payload.length % 4) % 4)));
  } catch (ignored) {
    return {};
  }
}

/** The event a page's header listens to: the gateway answered 401, so the token is missing, expired or bad. */
export const TOKEN_NEEDED = 'falab:token-needed';

/** fetch() with the stored token; answers the Response whatever its status (a 401 also fires TOKEN_NEEDED). */
export async function call(path, { method = 'GET', body, accept = 'application/json', signal } = {}) {
  const headers = { Accept: accept };
  const bearer = token();
  if (bearer) {
    headers.Authorization = 'Bearer ' + bearer;
  }
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  const res = await fetch(path, { method, headers, signal, body: body === undefined ? undefined : JSON.stringify(body) });
  if (res.status === 401) {
    window.dispatchEvent(new CustomEvent(TOKEN_NEEDED, { detail: { hadToken: Boolean(bearer) } }));
  }
  return res;
}

/** The JSON answer of a call, or an Error carrying the problem's title and detail. */
export async function json(path, options) {
  const res = await call(path, options);
  if (!res.ok) {
    throw await problem(res);
  }
  return { data: await res.json(), res };
}

async function problem(res) {
  let text = res.status + ' ' + res.statusText;
  try {
    const p = await res.json();
    text = [p.title, p.detail].filter(Boolean).join(': ') || text;
  } catch (ignored) {
    // not problem+json
  }
  const error = new Error(text);
  error.status = res.status;
  return error;
}

/**
 * Server-sent events read with fetch (EventSource cannot send an Authorization header): calls onData with each
 * event's parsed JSON data until the stream ends or signal aborts. Reconnects after a dropped connection; every
 * event of the gateway's live endpoint is complete, so nothing is lost by reconnecting.
 */
export async function stream(path, onData, signal, onState = () => {}) {
  while (!signal.aborted) {
    try {
      const res = await call(path, { accept: 'text/event-stream', signal });
      if (!res.ok) {
        throw await problem(res);
      }
      onState('live');
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) {
          break;
        }
        buffer += value;
        let end;
        while ((end = buffer.search(/\r?\n\r?\n/)) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(buffer.slice(end).match(/^\r?\n\r?\n/)[0].length + end);
          const data = block.split(/\r?\n/).filter(l => l.startsWith('data:'))
            .map(l => l.slice(5).replace(/^ /, '')).join('\n');
          if (data) {
            onData(JSON.parse(data));
          }
        }
      }
    } catch (e) {
      if (signal.aborted) {
        return;
      }
      if (e.status === 404 || e.status === 401 || e.status === 403) {
        onState('error', e);
        return;
      }
      onState('reconnecting', e);
    }
    await new Promise(resolve => setTimeout(resolve, 1000));
  }
}

/** Saves what a call answers as a file (a plain link could not send the token). */
export async function download(path, filename) {
  const res = await call(path, { accept: '*/*' });
  if (!res.ok) {
    throw await problem(res);
  }
  const url = URL.createObjectURL(await res.blob());
  const a = Object.assign(document.createElement('a'), { href: url, download: filename });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

/**
 * Downloads one of a run's checkpoints or snapshots: asks the gateway (with the token) for a short-lived presigned
 * URL, then lets the browser fetch the object straight from the object store.
 */
export async function downloadObject(runId, key) {
  const { data } = await json(`/api/v1/runs/${encodeURIComponent(runId)}/downloads?key=${encodeURIComponent(key)}`);
  const a = Object.assign(document.createElement('a'), { href: data.url, download: key.split('/').pop() });
  document.body.append(a);
  a.click();
  a.remove();
  return data;
}

/** The enum values the gateway's OpenAPI document gives for a schema's property (the contract's one list). */
let openApi;
export async function enumValues(schema, property) {
  openApi = openApi || json('/q/openapi?format=json').then(r => r.data).catch(() => ({}));
  const doc = await openApi;
  const schemas = (doc.components || {}).schemas || {};
  let node = property ? ((schemas[schema] || {}).properties || {})[property] : schemas[schema];
  for (let hops = 0; node && node.$ref && hops < 5; hops++) {
    node = schemas[node.$ref.split('/').pop()];
  }
  if (node && !node.enum && node.allOf) {
    const ref = node.allOf.find(n => n.$ref);
    node = ref ? schemas[ref.$ref.split('/').pop()] : node;
  }
  return (node && node.enum) || [];
}
