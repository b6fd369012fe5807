// The header every page shares: the pages, and the token box (the token is kept in localStorage, see api.js).
import { TOKEN_NEEDED, setToken, token } from './api.js';

export function header(active) {
  const bar = document.createElement('header');
  bar.className = 'topbar';
  bar.innerHTML = `
    <a class="brand" href="/">falab</a>
    <nav>
      <a href="/" data-page="runs">Runs</a>
      <a href="/ui/compare.html" data-page="compare">Compare</a>
      <a href="/q/swagger-ui" data-page="api">API</a>
    </nav>
    <form class="token" title="Bearer token sent with every request (stored in this browser)">
      <input type="password" name="token" placeholder="token" autocomplete="off" size="18">
      <button type="submit">Save</button>
    </form>`;
  bar.querySelector(`[data-page="${active}"]`)?.classList.add('active');
  const form = bar.querySelector('form');
  form.token.value = token();
  form.addEventListener('submit', e => {
    e.preventDefault();
    setToken(form.token.value);
    location.reload();
  });
  document.body.prepend(bar);
  window.addEventListener(TOKEN_NEEDED, e => tokenPrompt(e.detail.hadToken), { once: true });
}

/**
 * The gateway answered 401: instead of empty tables, the page says why and asks for a token (the page's own content
 * stays hidden, see falab.css, until a token is saved and the page reloads).
 */
function tokenPrompt(hadToken) {
  document.body.classList.add('token-needed');
  const prompt = el('section', { id: 'token-prompt', class: 'card' },
    el('h1', {}, hadToken ? 'Your token was refused' : 'A token is needed'),
    el('p', {}, hadToken
      ? 'The gateway refused the stored token (expired, or signed by another key). Paste a new one.'
      : 'The gateway answers only requests with a bearer token. Paste yours: ./falab up wrote one to '
        + '.falab/auth/token, ./falab token --user U --role R mints another, or ask your administrator.'));
  const form = el('form', { class: 'token' },
    el('input', { type: 'password', name: 'token', placeholder: 'token', autocomplete: 'off', size: '40' }),
    el('button', { type: 'submit' }, 'Save and reload'));
  form.addEventListener('submit', e => {
    e.preventDefault();
    setToken(form.token.value);
    location.reload();
  });
  prompt.append(form);
  document.querySelector('header.topbar').after(prompt);
  form.token.focus();
}

/** Text for a cell: '' for null, numbers to 4 significant digits. */
export function show(value) {
  if (value === null || value === undefined) {
    return '';
  }
  if (typeof value === 'number') {
    return Number.isInteger(value) ? String(value) : value.toPrecision(4);
  }
  return Array.isArray(value) ? value.join('-') : String(value);
}

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') {
      node.className = v;
    } else if (k.startsWith('on')) {
      node.addEventListener(k.slice(2), v);
    } else if (v !== null && v !== undefined && v !== false) {
      node.setAttribute(k, v === true ? '' : v);
    }
  }
  node.append(...children.flat().filter(c => c !== null && c !== undefined));
  return node;
}

export function stateBadge(state) {
  return el('span', { class: 'state state-' + String(state).toLowerCase() }, state);
}

export function progressBar(progress) {
  const { step, totalSteps, epoch } = progress || {};
  if (step == null || !totalSteps) {
    return el('span', { class: 'muted' }, '');
  }
  const pct = Math.min(100, (100 * step) / totalSteps);
  return el('div', { class: 'bar', title: `epoch ${epoch ?? '?'}, step ${step} of ${totalSteps}` },
    el('div', { class: 'fill', style: `width:${pct.toFixed(1)}%` }), el('span', {}, pct.toFixed(0) + '%'));
}
