// While a texted link is open, ask this app every two seconds how two-factor stands and swap the panel in
// place when it changes, so "We texted you a link" turns into "On" without reloading the page.
(() => {
  const live = document.getElementById('two-factor-live');
  if (!live) return;
  const intervalMs = 2000;

  async function poll() {
    const panel = live.querySelector('[data-state]');
    if (!panel || panel.dataset.state !== 'pending') return;
    try {
      const response = await fetch('/Settings?handler=Panel', { cache: 'no-store', credentials: 'same-origin' });
      if (response.ok) {
        const template = document.createElement('template');
        template.innerHTML = (await response.text()).trim();
        const fresh = template.content.querySelector('[data-state]');
        if (fresh && fresh.dataset.state !== panel.dataset.state) {
          panel.replaceWith(fresh);
        }
      }
    } catch {
      // Offline for a moment: the next poll tries again.
    }
    setTimeout(poll, intervalMs);
  }

  setTimeout(poll, intervalMs);
})();
