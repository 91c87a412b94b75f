'use strict';

(() => {
  const $ = (id) => document.getElementById(id);
  const messages = $('messages');
  const seen = new Set();

  const random = (digits) => String(Math.floor(Math.random() * 10 ** digits)).padStart(digits, '0');
  $('from').value = '+1201555' + random(4);
  $('user-id').value = 'user-' + random(6);

  function add(kind, text, extra) {
    const item = document.createElement('li');
    item.className = kind + (extra ? ' ' + extra : '');
    item.textContent = text;
    messages.appendChild(item);
    item.scrollIntoView({ block: 'nearest' });
  }

  async function postJson(url, body) {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    const data = await response.json().catch(() => ({}));
    if (!response.ok) {
      throw new Error(data.detail || ('HTTP ' + response.status));
    }
    return data;
  }

  $('start').addEventListener('click', async () => {
    $('error').textContent = '';
    try {
      const started = await postJson('/api/enrollments', { userId: $('user-id').value });
      $('join').textContent = 'Text JOIN ' + started.joinCode + ' to ' + started.smsNumber;
      $('body').value = 'JOIN ' + started.joinCode;
    } catch (e) {
      $('error').textContent = e.message;
    }
  });

  $('compose').addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = $('body').value;
    $('error').textContent = '';
    add('out', body);
    $('body').value = '';
    try {
      const answer = await postJson('/dev/phone/texts', { from: $('from').value, body });
      if (answer.status !== 200) {
        $('error').textContent = 'The webhook answered HTTP ' + answer.status;
      } else if (answer.reply) {
        add('in', answer.reply);
      }
      await poll();
    } catch (e) {
      $('error').textContent = e.message;
    }
  });

  // Texts the service sent through the outbox (codes, links): shown once each, in order.
  async function poll() {
    const response = await fetch('/dev/phone/outbox?number=' + encodeURIComponent($('from').value));
    if (!response.ok) {
      return;
    }
    for (const text of await response.json()) {
      if (!seen.has(text.messageSid)) {
        seen.add(text.messageSid);
        add('in', text.body, 'texted');
      }
    }
  }

  // Events to the relying app, as the service's dev/events lists them: type, status, tries, last answer.
  async function pollEvents() {
    const response = await fetch('/dev/events');
    if (!response.ok) {
      return;
    }
    const listed = await response.json();
    if (listed.note) {
      $('events-note').textContent = listed.note;
    }
    const list = $('events');
    list.textContent = '';
    for (const e of listed.events) {
      const item = document.createElement('li');
      item.className = 'event ' + e.status;
      const tries = e.attempts === 1 ? '1 try' : e.attempts + ' tries';
      item.textContent = e.type + ' · ' + e.status + ' (' + tries + (e.detail ? ', ' + e.detail : '') + ') · ' + (e.data.userId || '');
      list.appendChild(item);
    }
  }

  $('from').addEventListener('change', () => {
    seen.clear();
    messages.textContent = '';
  });
  setInterval(poll, 1500);
  setInterval(pollEvents, 1500);
  pollEvents();
})();
