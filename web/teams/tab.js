/* Helpline "My requests" tab in Microsoft Teams: initializes TeamsJS, follows the Teams theme and
 * locale, signs in with Teams SSO and shows the user's requests from /api/tab. Every text the
 * user or support typed is put in the page with textContent: never as markup. */
/* global microsoftTeams, setTimeout, clearTimeout, crypto */
(function () {
  'use strict';

  var INIT_TIMEOUT_MS = 5000;
  var texts = { en: {}, fr: {} };
  var lang = (navigator.language || '').toLowerCase().indexOf('fr') === 0 ? 'fr' : 'en';
  var token = null;
  var me = null;
  var view = { scope: 'mine', status: 'all', q: '', page: 1, total: 0, shown: 0 };
  var openNumber = null;

  function el(id) {
    return document.getElementById(id);
  }

  function t(key, vars) {
    var template = (texts[lang] && texts[lang][key]) || texts.en[key] || key;
    return template.replace(/\{(\w+)\}/g, function (whole, name) {
      return vars && Object.prototype.hasOwnProperty.call(vars, name) ? String(vars[name]) : whole;
    });
  }

  function say(text, isError) {
    var message = el('message');
    message.textContent = text;
    message.className = isError ? 'message error' : 'message';
    message.setAttribute('role', isError ? 'alert' : 'status');
    message.hidden = !text;
  }

  function stop(text) {
    el('list-view').hidden = true;
    el('ticket-view').hidden = true;
    say(text, true);
  }

  function applyTheme(theme) {
    var known = theme === 'dark' || theme === 'contrast' ? theme : 'default';
    document.documentElement.setAttribute('data-theme', known);
  }

  function withTimeout(promise, ms) {
    return new Promise(function (resolve, reject) {
      var timer = setTimeout(function () {
        reject(new Error('timeout'));
      }, ms);
      promise.then(
        function (value) {
          clearTimeout(timer);
          resolve(value);
        },
        function (error) {
          clearTimeout(timer);
          reject(error);
        },
      );
    });
  }

  function getToken() {
    return withTimeout(microsoftTeams.authentication.getAuthToken(), 15000).then(function (value) {
      token = value;
      return value;
    });
  }

  /** Calls the tab API; a refused token is renewed once (Teams tokens expire within the hour). */
  function api(method, path, body, retried) {
    var separator = path.indexOf('?') === -1 ? '?' : '&';
    var headers = { Authorization: 'Bearer ' + token, Accept: 'application/json' };
    if (body) headers['Content-Type'] = 'application/json';
    return fetch('/api/tab' + path + separator + 'locale=' + lang, {
      method: method,
      headers: headers,
      body: body ? JSON.stringify(body) : undefined,
    }).then(function (res) {
      if (res.status === 401 && !retried) {
        return getToken().then(function () {
          return api(method, path, body, true);
        });
      }
      return res.json().then(
        function (json) {
          return { status: res.status, json: json };
        },
        function () {
          return { status: res.status, json: {} };
        },
      );
    });
  }

  function problem(res) {
    if (res.status >= 500)
      return t(
        res.status === 503 && res.json.error && res.json.error.code === 'sso_not_configured'
          ? 'teams.tab.notConfigured'
          : 'errors.unavailable',
      );
    return (res.json.error && res.json.error.message) || t('errors.generic');
  }

  function translatePage() {
    document.documentElement.lang = lang;
    document.title = 'Helpline · ' + t('teams.tab.title');
    el('title').textContent = t('teams.tab.title');
    el('status-label').textContent = t('requests.filterStatus');
    el('search-label').textContent = t('teams.tab.searchLabel');
    el('search').placeholder = t('requests.filterText');
    el('search-button').textContent = t('teams.tab.search');
    el('more').textContent = t('teams.tab.more');
    el('back').textContent = t('requests.action.back');
    el('description-title').textContent = t('requests.field.description');
    el('expected-title').textContent = t('requests.field.expectedResult');
    el('timeline-title').textContent = t('requests.timeline');
    el('comment-label').textContent = t('requests.action.comment');
    el('comment').placeholder = t('requests.commentPlaceholder');
    el('send').textContent = t('requests.action.send');
    el('more-actions').textContent = t('teams.tab.moreActions');
    var select = el('status-filter');
    select.textContent = '';
    ['all', 'active', 'waiting', 'resolved', 'closed'].forEach(function (filter) {
      var option = document.createElement('option');
      option.value = filter;
      option.textContent = t('requests.filter.' + filter);
      select.appendChild(option);
    });
    select.value = view.status;
  }

  function renderScopes() {
    var scopes = el('scopes');
    scopes.textContent = '';
    var names = me.canSeeOrganisation ? ['mine', 'cc', 'organisation'] : ['mine', 'cc'];
    names.forEach(function (scope) {
      var button = document.createElement('button');
      button.type = 'button';
      button.setAttribute('role', 'tab');
      button.setAttribute('aria-selected', String(scope === view.scope));
      button.dataset.scope = scope;
      button.textContent = t('requests.scope.' + scope);
      button.addEventListener('click', function () {
        view.scope = scope;
        renderScopes();
        loadList(false);
      });
      scopes.appendChild(button);
    });
  }

  function ticketRow(item) {
    var li = document.createElement('li');
    var button = document.createElement('button');
    button.type = 'button';
    button.dataset.number = item.number;
    var subject = document.createElement('div');
    subject.className = 'subject';
    subject.textContent = item.number + ' · ' + item.subject;
    var meta = document.createElement('div');
    meta.className = 'meta';
    meta.textContent = t('requests.item', {
      status: item.statusLabel,
      severity: item.severity,
      when: item.updated,
    });
    button.appendChild(subject);
    button.appendChild(meta);
    button.addEventListener('click', function () {
      openTicket(item.number);
    });
    li.appendChild(button);
    return li;
  }

  function loadList(append) {
    if (!append) view.page = 1;
    var query =
      '/tickets?scope=' +
      encodeURIComponent(view.scope) +
      '&status=' +
      encodeURIComponent(view.status) +
      '&page=' +
      view.page +
      (view.q ? '&q=' + encodeURIComponent(view.q) : '');
    say(t('teams.tab.loading'));
    return api('GET', query).then(function (res) {
      if (res.status !== 200) return say(problem(res), true);
      var list = el('tickets');
      if (!append) list.textContent = '';
      res.json.items.forEach(function (item) {
        list.appendChild(ticketRow(item));
      });
      view.total = res.json.total;
      view.shown = list.children.length;
      var filtered = view.status !== 'all' || !!view.q;
      say(view.total ? '' : t(filtered ? 'teams.tab.emptyFiltered' : 'requests.empty'));
      el('count').textContent = view.total
        ? t('teams.tab.count', { shown: view.shown, total: view.total })
        : '';
      el('more').hidden = view.shown >= view.total;
      el('ticket-view').hidden = true;
      el('list-view').hidden = false;
    });
  }

  function fact(list, label, value) {
    var dt = document.createElement('dt');
    dt.textContent = label;
    var dd = document.createElement('dd');
    dd.textContent = value;
    list.appendChild(dt);
    list.appendChild(dd);
  }

  function renderTicket(ticket) {
    openNumber = ticket.number;
    el('ticket-number').textContent = ticket.number;
    el('ticket-subject').textContent = ticket.subject;
    var facts = el('ticket-facts');
    facts.textContent = '';
    fact(facts, t('requests.field.status'), ticket.statusLabel);
    fact(facts, t('requests.field.severity'), ticket.severity);
    fact(facts, t('requests.field.module'), ticket.module);
    fact(facts, t('requests.field.openedBy'), ticket.requester);
    fact(facts, t('requests.field.opened'), ticket.opened);
    fact(facts, t('requests.field.updated'), ticket.updated);
    if (ticket.ccs.length) fact(facts, t('requests.field.copied'), ticket.ccs.join(', '));
    el('ticket-description').textContent = ticket.description;
    el('expected').hidden = !ticket.expectedResult;
    el('ticket-expected').textContent = ticket.expectedResult || '';
    var timeline = el('timeline');
    timeline.textContent = '';
    ticket.events.forEach(function (event) {
      var li = document.createElement('li');
      var when = document.createElement('span');
      when.className = 'when';
      when.textContent = event.when;
      li.appendChild(when);
      li.appendChild(document.createTextNode(event.text));
      timeline.appendChild(li);
    });
    el('comment-form').hidden = !ticket.canComment;
    el('comment-closed').hidden = ticket.canComment;
    el('comment-closed').textContent = ticket.canComment
      ? ''
      : t('teams.tab.commentClosed', { number: ticket.number, status: ticket.statusLabel });
    el('list-view').hidden = true;
    el('ticket-view').hidden = false;
  }

  function openTicket(number) {
    say(t('teams.tab.loading'));
    return api('GET', '/tickets/' + encodeURIComponent(number)).then(function (res) {
      if (res.status !== 200) return say(problem(res), true);
      say('');
      renderTicket(res.json.ticket);
      el('ticket-subject').focus();
    });
  }

  function newRequestId() {
    if (crypto.randomUUID) return crypto.randomUUID();
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map
      .call(bytes, function (b) {
        return (b + 256).toString(16).slice(1);
      })
      .join('');
    return (
      hex.slice(0, 8) +
      '-' +
      hex.slice(8, 12) +
      '-' +
      hex.slice(12, 16) +
      '-' +
      hex.slice(16, 20) +
      '-' +
      hex.slice(20)
    );
  }

  var pendingComment = null;

  function sendComment(event) {
    event.preventDefault();
    var box = el('comment');
    var text = box.value.trim();
    if (!text || text.length > 5000) return say(t('requests.invalidComment', { max: 5000 }), true);
    // The same words sent again after a failure keep their id: the server adds them once.
    if (!pendingComment || pendingComment.text !== text || pendingComment.number !== openNumber) {
      pendingComment = { text: text, number: openNumber, requestId: newRequestId() };
    }
    el('send').disabled = true;
    say(t('teams.tab.sending'));
    return api('POST', '/tickets/' + encodeURIComponent(openNumber) + '/comments', {
      text: text,
      requestId: pendingComment.requestId,
    })
      .then(function (res) {
        if (res.status !== 200 && res.status !== 201) return say(problem(res), true);
        pendingComment = null;
        box.value = '';
        renderTicket(res.json.ticket);
        say(t('requests.commentAdded', { number: res.json.ticket.number }));
      })
      .catch(function () {
        say(t('errors.unavailable'), true);
      })
      .then(function () {
        el('send').disabled = false;
      });
  }

  function wireEvents() {
    el('filters').addEventListener('submit', function (event) {
      event.preventDefault();
      view.status = el('status-filter').value;
      view.q = el('search').value.trim();
      loadList(false);
    });
    el('more').addEventListener('click', function () {
      view.page += 1;
      loadList(true);
    });
    el('back').addEventListener('click', function () {
      openNumber = null;
      loadList(false);
    });
    el('comment-form').addEventListener('submit', sendComment);
  }

  function start(config) {
    texts = config.texts;
    translatePage();
    if (window.parent === window || typeof microsoftTeams === 'undefined') {
      return stop(t('teams.tab.outsideTeams'));
    }
    var origins = config.devOrigins && config.devOrigins.length ? config.devOrigins : undefined;
    return withTimeout(microsoftTeams.app.initialize(origins), INIT_TIMEOUT_MS)
      .then(
        function () {
          return microsoftTeams.app.getContext();
        },
        function () {
          throw { outside: true };
        },
      )
      .then(function (context) {
        lang = (context.app.locale || lang).toLowerCase().indexOf('fr') === 0 ? 'fr' : 'en';
        applyTheme(context.app.theme);
        microsoftTeams.app.registerOnThemeChangeHandler(applyTheme);
        translatePage();
        return getToken().then(
          function () {
            return context;
          },
          function () {
            throw { message: t('teams.tab.signInFailed') };
          },
        );
      })
      .then(function (context) {
        return api('GET', '/me').then(function (res) {
          if (res.status !== 200) throw { message: problem(res) };
          me = res.json;
          var who = el('who');
          who.textContent = t('teams.tab.signedInAs', { name: me.name, organisation: me.organisation });
          who.hidden = false;
          renderScopes();
          wireEvents();
          Promise.resolve(microsoftTeams.app.notifySuccess()).catch(function () {});
          var deepLinked = context.page && context.page.subPageId;
          return deepLinked ? openTicket(deepLinked) : loadList(false);
        });
      })
      .catch(function (error) {
        if (error && error.outside) return stop(t('teams.tab.outsideTeams'));
        stop((error && error.message) || t('errors.generic'));
      });
  }

  fetch('/teams/tab/config.json')
    .then(function (res) {
      if (!res.ok) throw new Error('HTTP ' + res.status);
      return res.json();
    })
    .then(start)
    .catch(function () {
      say('Helpline cannot be reached right now. / Helpline est injoignable pour le moment.', true);
    });
})();
