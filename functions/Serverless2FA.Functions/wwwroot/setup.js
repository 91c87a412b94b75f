// The setup page. Plain ES2020, no framework: the page is served under a strict CSP, so nothing here
// writes HTML — text goes in with textContent, and the QR code arrives as an <img> data: URL.

const $ = (id) => document.getElementById(id);

const STEPS = ['step-loading', 'step-method', 'step-authenticator', 'step-sms', 'verify-form', 'step-finish', 'step-done', 'step-ended'];
const DEFAULT_COOLDOWN = 30;
const OFFLINE = 'We could not reach the service. Check your connection and try again.';

let phoneMasked = null;
let resendTimer = 0;
let busy = false;

/** Shows the given steps and hides the rest; focus moves to the first step's heading so a screen reader follows. */
function show(steps, { focus = true } = {}) {
  for (const id of STEPS) $(id).hidden = !steps.includes(id);
  const heading = $(steps[0]).querySelector('h2');
  if (focus && heading) heading.focus();
}

/** Writes to the one live region; '' clears it. */
function say(message, kind = 'info') {
  const status = $('status');
  status.textContent = message;
  status.classList.toggle('status-error', kind === 'error' && message !== '');
  status.classList.toggle('status-ok', kind === 'ok' && message !== '');
}

async function api(method, path, body) {
  const init = { method, credentials: 'same-origin', headers: { Accept: 'application/json, application/problem+json' } };
  if (method !== 'GET') {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body ?? {});
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch {
    return { ok: false, status: 0, data: { detail: OFFLINE }, retryAfter: null };
  }
  let data = {};
  if ((response.headers.get('Content-Type') ?? '').includes('json')) {
    try { data = await response.json(); } catch { data = {}; }
  }
  return { ok: response.ok, status: response.status, data: data ?? {}, retryAfter: response.headers.get('Retry-After') };
}

const problem = (r) => r.data.detail || r.data.title || 'Something went wrong. Try again.';

function ended(detail) {
  clearInterval(resendTimer);
  $('ended-detail').textContent = detail || 'Your setup session has ended.';
  say('');
  show(['step-ended']);
}

/**
 * Handles the answers that end the setup. A 410 from a step can also mean only that a texted code
 * expired, so the session itself is asked before giving up on it.
 * @returns true when the page has moved to the "ended" step.
 */
async function endedBy(r) {
  if (r.status === 401 || r.status === 423) {
    ended(problem(r));
    return true;
  }
  if (r.status === 410) {
    const session = await api('GET', '/api/setup');
    if (session.status === 401 || session.status === 410) {
      ended(problem(session));
      return true;
    }
  }
  return false;
}

function retrySeconds(value) {
  if (!value) return DEFAULT_COOLDOWN;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(1, Math.ceil(seconds));
  const at = Date.parse(value);
  return Number.isNaN(at) ? DEFAULT_COOLDOWN : Math.max(1, Math.ceil((at - Date.now()) / 1000));
}

// aria-disabled rather than disabled, so the button keeps focus while it waits.
function cooldown(seconds) {
  clearInterval(resendTimer);
  const button = $('resend');
  const until = Date.now() + seconds * 1000;
  const tick = () => {
    const left = Math.ceil((until - Date.now()) / 1000);
    if (left <= 0) {
      clearInterval(resendTimer);
      button.removeAttribute('aria-disabled');
      button.textContent = 'Send a new code';
      return;
    }
    button.setAttribute('aria-disabled', 'true');
    button.textContent = `Send a new code (wait ${left} s)`;
  };
  tick();
  resendTimer = setInterval(tick, 1000);
}

function base64(text) {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

const groupsOfFour = (secret) => secret.replace(/\s+/g, '').replace(/(.{4})(?=.)/g, '$1 ');

/** Runs one request at a time; a second tap while the first is on its way does nothing. */
const once = (work) => async (event) => {
  event?.preventDefault();
  if (busy) return;
  busy = true;
  document.body.setAttribute('aria-busy', 'true');
  try {
    await work(event);
  } finally {
    busy = false;
    document.body.removeAttribute('aria-busy');
  }
};

async function load() {
  const r = await api('GET', '/api/setup');
  if (!r.ok) {
    if (r.status === 401 || r.status === 410) {
      ended(problem(r));
    } else {
      say(`${problem(r)} Reload the page to try again.`, 'error');
    }
    return;
  }

  const setup = r.data;
  phoneMasked = setup.phoneMasked ?? null;
  if (phoneMasked) {
    $('phone-masked').textContent = phoneMasked;
    $('phone-line').hidden = false;
  }
  const expires = Date.parse(setup.expiresAt);
  if (!Number.isNaN(expires)) {
    $('expires-at').dateTime = setup.expiresAt;
    $('expires-at').textContent = new Date(expires).toLocaleTimeString([], { hour: 'numeric', minute: '2-digit' });
    $('expires-line').hidden = false;
  }
  const methods = Array.isArray(setup.methods) ? setup.methods : ['authenticator', 'sms'];
  $('choose-authenticator').closest('li').hidden = !methods.includes('authenticator');
  $('choose-sms').closest('li').hidden = !methods.includes('sms');
  // A policy the relying app fixed is shown as decided: no choice to make (the service refuses any other).
  const decided = Array.isArray(setup.policies) && setup.policies.length === 1 ? setup.policies[0] : null;
  for (const radio of document.querySelectorAll('input[name="policy"]')) {
    radio.closest('.radio').hidden = decided !== null || (Array.isArray(setup.policies) && !setup.policies.includes(radio.value));
    radio.checked = radio.value === (decided ?? setup.policy);
    if (decided !== null && radio.checked) {
      $('policy-decided-name').textContent = document.querySelector(`label[for="${radio.id}"]`).textContent;
    }
  }
  $('policy-decided').hidden = decided === null;
  $('once-hint').hidden = decided === 'every-login';

  if (setup.status === 'completed') {
    show(['step-done'], { focus: false });
  } else if (setup.status === 'verified') {
    // The emergency codes were shown once, when the code was accepted; they cannot be shown again.
    $('codes-block').hidden = true;
    $('codes-gone').hidden = false;
    show(['step-finish'], { focus: false });
  } else if (['expired', 'failed', 'cancelled'].includes(setup.status)) {
    ended('This setup link has expired or was already used.');
  } else {
    show(['step-method'], { focus: false });
  }
}

async function chooseAuthenticator() {
  say('');
  const r = await api('POST', '/api/setup/authenticator', {});
  if (!r.ok) {
    if (!(await endedBy(r))) say(problem(r), 'error');
    return;
  }
  $('qr').src = `data:image/svg+xml;base64,${base64(r.data.qrSvg)}`;
  $('secret').textContent = groupsOfFour(r.data.secret);
  $('otpauth').href = r.data.otpauthUri;
  clearInterval(resendTimer);
  resetCode();
  $('code-hint').textContent = 'The app shows a new code every 30 seconds. Type the one you see now.';
  show(['step-authenticator', 'verify-form']);
}

async function sendCode({ first }) {
  const r = await api('POST', '/api/setup/sms', {});
  if (r.ok) {
    const to = phoneMasked ?? 'your phone';
    $('sms-sent').textContent = `We texted a code to ${to}.`;
    cooldown(DEFAULT_COOLDOWN);
    if (first) {
      say('');
    } else {
      say(`We texted a new code to ${to}.`, 'ok');
    }
    return true;
  }
  if (r.status === 429) {
    // A code went out moments ago (or the limit is reached): the person can still type the last one.
    cooldown(retrySeconds(r.retryAfter));
    say(problem(r), 'error');
    return true;
  }
  if (!(await endedBy(r))) say(problem(r), 'error');
  return false;
}

async function chooseSms() {
  say('');
  $('sms-sent').textContent = `We texted a code to ${phoneMasked ?? 'your phone'}.`;
  if (await sendCode({ first: true })) {
    resetCode();
    $('code-hint').textContent = 'Type the code from our latest text. Each code works once, for a few minutes.';
    show(['step-sms', 'verify-form']);
  }
}

async function resend() {
  if ($('resend').getAttribute('aria-disabled') === 'true') {
    say('Wait until the button says you can send a new code.');
    return;
  }
  await sendCode({ first: false });
}

function resetCode() {
  const input = $('code');
  input.value = '';
  input.removeAttribute('aria-invalid');
}

function codeProblem(message) {
  const input = $('code');
  input.setAttribute('aria-invalid', 'true');
  say(message, 'error');
  input.focus();
  input.select();
}

async function verify() {
  const code = $('code').value.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(code)) {
    codeProblem('Enter the 6-digit code.');
    return;
  }
  const r = await api('POST', '/api/setup/verify', { code });
  if (r.ok) {
    showEmergencyCodes(Array.isArray(r.data.emergencyCodes) ? r.data.emergencyCodes : []);
    return;
  }
  if (await endedBy(r)) return;
  let message = problem(r);
  const left = r.data.attemptsLeft;
  if (r.status === 422 && Number.isInteger(left)) message += ` ${left} ${left === 1 ? 'try' : 'tries'} left.`;
  codeProblem(message);
}

function showEmergencyCodes(codes) {
  clearInterval(resendTimer);
  $('emergency-codes').textContent = codes.join('\n');
  $('codes-block').hidden = false;
  $('codes-gone').hidden = true;
  $('copy').hidden = !(navigator.clipboard && typeof navigator.clipboard.writeText === 'function');
  say('Code accepted.', 'ok');
  show(['step-finish']);
}

async function copyCodes() {
  try {
    await navigator.clipboard.writeText($('emergency-codes').textContent);
    say('Emergency codes copied. Paste them somewhere safe.', 'ok');
  } catch {
    say('Could not copy. Select the codes and copy them yourself.', 'error');
  }
}

function savedChanged() {
  const saved = $('saved').checked;
  $('finish').disabled = !saved;
  $('finish-hint').hidden = saved;
}

async function finish() {
  if (!$('saved').checked) {
    say('Tick “I have saved my emergency codes” first.', 'error');
    $('saved').focus();
    return;
  }
  const chosen = document.querySelector('input[name="policy"]:checked');
  if (!chosen) {
    say('Choose when we should ask for a code.', 'error');
    [...document.querySelectorAll('input[name="policy"]')].find((radio) => !radio.closest('.radio').hidden)?.focus();
    return;
  }
  const r = await api('POST', '/api/setup/complete', { policy: chosen.value, acknowledged: true });
  if (r.ok && r.data.enrolled) {
    say('');
    show(['step-done']);
    return;
  }
  if (!(await endedBy(r))) say(problem(r), 'error');
}

function changeMethod() {
  clearInterval(resendTimer);
  resetCode();
  say('');
  show(['step-method']);
}

$('choose-authenticator').addEventListener('click', once(chooseAuthenticator));
$('choose-sms').addEventListener('click', once(chooseSms));
$('resend').addEventListener('click', once(resend));
$('verify-form').addEventListener('submit', once(verify));
$('change-method').addEventListener('click', changeMethod);
$('copy').addEventListener('click', once(copyCodes));
$('saved').addEventListener('change', savedChanged);
$('step-finish').addEventListener('submit', once(finish));
$('code').addEventListener('input', () => $('code').removeAttribute('aria-invalid'));

savedChanged();
load();
