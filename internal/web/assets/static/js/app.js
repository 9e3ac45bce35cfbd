// gongjian — the site's own script, loaded with defer by the layouts.
//
// The Content-Security-Policy forbids inline scripts and inline event
// handlers, so all behaviour lives here and is attached by delegation on the
// document (which also covers content htmx swaps in later). Everything is an
// enhancement: every form works as a plain POST without this file or htmx.
// No user-visible text is written here; messages come from the page (data-*
// attributes rendered through the catalogues).
(function () {
  'use strict';

  var doc = document;
  doc.documentElement.classList.add('js');

  function csrfToken() {
    var meta = doc.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute('content') : '';
  }

  // htmx requests send the CSRF token as a header: hx-get/hx-delete on a
  // button or link carries no hidden form field.
  doc.addEventListener('htmx:configRequest', function (e) {
    var token = csrfToken();
    if (token) {
      e.detail.headers['X-CSRF-Token'] = token;
    }
  });

  // A select marked data-autosubmit (the language switch) submits its form
  // as soon as it changes; its submit button is hidden by .js .js-hidden.
  doc.addEventListener('change', function (e) {
    var el = e.target;
    if (!(el instanceof HTMLSelectElement) || !el.hasAttribute('data-autosubmit') || !el.form) {
      return;
    }
    if (typeof el.form.requestSubmit === 'function') {
      el.form.requestSubmit();
    } else {
      el.form.submit();
    }
  });

  // data-confirm="…" asks before a form is submitted or a link/button acts.
  // The listeners run in the capture phase on the document, so a "no" stops
  // the event before it reaches htmx's own listeners on the element.
  function refuse(el, e) {
    var message = el.getAttribute('data-confirm');
    if (message && !window.confirm(message)) {
      e.preventDefault();
      e.stopPropagation();
      return true;
    }
    return false;
  }

  doc.addEventListener('submit', function (e) {
    var form = e.target;
    var submitter = e.submitter;
    if (submitter && submitter.hasAttribute('data-confirm')) {
      refuse(submitter, e);
      return;
    }
    if (form instanceof HTMLFormElement && form.hasAttribute('data-confirm')) {
      refuse(form, e);
    }
  }, true);

  doc.addEventListener('click', function (e) {
    if (!(e.target instanceof Element)) {
      return;
    }
    var el = e.target.closest('[data-confirm]');
    if (!el || el instanceof HTMLFormElement) {
      return;
    }
    // Submit buttons inside a form are asked in the submit listener, once.
    if (el instanceof HTMLButtonElement && el.form && el.type === 'submit') {
      return;
    }
    if (el.closest('form[data-confirm]') && !(el instanceof HTMLAnchorElement)) {
      return;
    }
    refuse(el, e);
  }, true);

  // A background request that fails would otherwise do nothing visible:
  // show the message the layout put on <body data-error-text="…"> in the
  // live region.
  function announce(text) {
    var region = doc.getElementById('live-region');
    if (!region || !text) {
      return;
    }
    var note = doc.createElement('div');
    note.className = 'flash flash-error';
    note.setAttribute('role', 'alert');
    note.textContent = text;
    region.replaceChildren(note);
    window.setTimeout(function () {
      if (note.parentNode === region) {
        region.removeChild(note);
      }
    }, 8000);
  }

  function failed(e) {
    var xhr = e.detail && e.detail.xhr;
    var body = doc.body;
    var text = body.getAttribute('data-error-text');
    if (xhr && xhr.status === 403 && body.hasAttribute('data-forbidden-text')) {
      text = body.getAttribute('data-forbidden-text');
    }
    if (xhr && xhr.status === 401 && body.hasAttribute('data-unauthorized-text')) {
      text = body.getAttribute('data-unauthorized-text');
    }
    announce(text);
  }

  doc.addEventListener('htmx:responseError', failed);
  doc.addEventListener('htmx:sendError', failed);
})();
