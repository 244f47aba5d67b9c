/* Helpline agent console. Every text typed by users or staff is shown with textContent, never
 * as markup. The session is an HTTP-only cookie; changes carry the session's CSRF token. */
(function () {
  'use strict';
  var API = '/console/api';
  var TEXTS = {
    en: {
      skip: 'Skip to content',
      title: 'Helpline console',
      'nav.queue': 'Queue',
      'nav.live': 'Live conversations',
      'nav.figures': 'Figures',
      language: 'Language',
      signOut: 'Sign out',
      'signIn.title': 'Sign in',
      'signIn.token': 'Staff token',
      'signIn.submit': 'Sign in',
      'queue.title': 'Queue',
      'queue.search': 'Search',
      'queue.status': 'Status',
      'queue.active': 'Active',
      'queue.severity': 'Severity',
      'queue.any': 'Any',
      'queue.apply': 'Apply',
      'queue.caption': 'Tickets in triage order',
      'queue.empty': 'No tickets match.',
      'col.number': 'Ticket',
      'col.severity': 'Sev.',
      'col.subject': 'Subject',
      'col.organisation': 'Organisation',
      'col.status': 'Status',
      'col.age': 'Opened',
      back: 'Back to the queue',
      'ticket.articles': 'Articles tried',
      'ticket.timeline': 'Timeline',
      'ticket.reply': 'Reply',
      'ticket.visibility': 'Visibility',
      'ticket.public': 'Public reply',
      'ticket.internal': 'Internal note',
      'ticket.send': 'Send',
      'ticket.changeStatus': 'Status',
      'ticket.setStatus': 'Change status',
      'ticket.assignMe': 'Assign to me',
      'ticket.satisfaction': 'Satisfaction',
      'ticket.viewers': 'Who looked at it',
      'ticket.none': 'None.',
      'ticket.sent': 'Sent.',
      'ticket.certified': 'certified administrator',
      'live.title': 'Live conversations',
      'live.accept': 'Accept',
      'live.end': 'End conversation',
      'live.message': 'Message',
      'live.send': 'Send',
      'live.convert': 'Convert into a ticket',
      'live.module': 'Module',
      'live.severity': 'Severity',
      'live.subject': 'Subject (optional)',
      'live.convertButton': 'Convert into a ticket',
      'live.empty': 'No conversations.',
      'live.converted': 'Ticket {number} opened.',
      'live.anonymous': 'Visitor (not signed in)',
      'live.waiting': '{n} waiting',
      'figures.title': 'Figures',
      'figures.from': 'From',
      'figures.to': 'To',
      'figures.show': 'Show',
      'error.session': 'Your session has ended: please sign in again.',
      'error.generic': 'Something went wrong.',
      'field.requester': 'Requester',
      'field.organisation': 'Organisation',
      'field.status': 'Status',
      'field.severity': 'Severity',
      'field.module': 'Module',
      'field.summary': 'Summary',
      'field.description': 'Description',
      'field.expectedResult': 'Expected result',
      'field.serverUrl': 'Server',
      'field.stepsToReproduce': 'Steps',
      'field.devices': 'Devices',
      'field.productVersion': 'Version',
      'field.missingInformation': 'Missing',
      'field.assignee': 'Assignee',
      'field.expectedFirstResponse': 'First response due',
      'field.channel': 'Channel',
      'field.ccs': 'CC',
    },
    fr: {
      skip: 'Aller au contenu',
      title: 'Console Helpline',
      'nav.queue': "File d'attente",
      'nav.live': 'Conversations en direct',
      'nav.figures': 'Chiffres',
      language: 'Langue',
      signOut: 'Se déconnecter',
      'signIn.title': 'Connexion',
      'signIn.token': 'Jeton du support',
      'signIn.submit': 'Se connecter',
      'queue.title': "File d'attente",
      'queue.search': 'Rechercher',
      'queue.status': 'Statut',
      'queue.active': 'Actifs',
      'queue.severity': 'Gravité',
      'queue.any': 'Toutes',
      'queue.apply': 'Appliquer',
      'queue.caption': 'Tickets par ordre de traitement',
      'queue.empty': 'Aucun ticket.',
      'col.number': 'Ticket',
      'col.severity': 'Grav.',
      'col.subject': 'Objet',
      'col.organisation': 'Organisation',
      'col.status': 'Statut',
      'col.age': 'Ouvert',
      back: "Retour à la file d'attente",
      'ticket.articles': 'Articles consultés',
      'ticket.timeline': 'Historique',
      'ticket.reply': 'Réponse',
      'ticket.visibility': 'Visibilité',
      'ticket.public': 'Réponse publique',
      'ticket.internal': 'Note interne',
      'ticket.send': 'Envoyer',
      'ticket.changeStatus': 'Statut',
      'ticket.setStatus': 'Changer le statut',
      'ticket.assignMe': "Me l'attribuer",
      'ticket.satisfaction': 'Satisfaction',
      'ticket.viewers': "Qui l'a consulté",
      'ticket.none': 'Aucun.',
      'ticket.sent': 'Envoyé.',
      'ticket.certified': 'administrateur certifié',
      'live.title': 'Conversations en direct',
      'live.accept': 'Accepter',
      'live.end': 'Terminer la conversation',
      'live.message': 'Message',
      'live.send': 'Envoyer',
      'live.convert': 'Transformer en ticket',
      'live.module': 'Module',
      'live.severity': 'Gravité',
      'live.subject': 'Objet (facultatif)',
      'live.convertButton': 'Transformer en ticket',
      'live.empty': 'Aucune conversation.',
      'live.converted': 'Ticket {number} ouvert.',
      'live.anonymous': 'Visiteur (non connecté)',
      'live.waiting': '{n} en attente',
      'figures.title': 'Chiffres',
      'figures.from': 'Du',
      'figures.to': 'Au',
      'figures.show': 'Afficher',
      'error.session': 'Votre session a expiré : reconnectez-vous.',
      'error.generic': "Une erreur s'est produite.",
      'field.requester': 'Demandeur',
      'field.organisation': 'Organisation',
      'field.status': 'Statut',
      'field.severity': 'Gravité',
      'field.module': 'Module',
      'field.summary': 'Résumé',
      'field.description': 'Description',
      'field.expectedResult': 'Résultat attendu',
      'field.serverUrl': 'Serveur',
      'field.stepsToReproduce': 'Étapes',
      'field.devices': 'Appareils',
      'field.productVersion': 'Version',
      'field.missingInformation': 'Manquant',
      'field.assignee': 'Attribué à',
      'field.expectedFirstResponse': 'Première réponse attendue',
      'field.channel': 'Canal',
      'field.ccs': 'Copie',
    },
  };
  var lang =
    window.localStorage.getItem('helpline.console.lang') ||
    ((navigator.language || '').toLowerCase().indexOf('fr') === 0 ? 'fr' : 'en');
  var csrf = '';
  var view = 'queue';
  var currentTicket = '';
  var currentHandoff = '';
  var poller = 0;
  var live = null;
  var liveRetry = 0;
  var changeTimer = 0;
  var changed = {};

  function $(id) {
    return document.getElementById(id);
  }
  function t(key, vars) {
    var text = (TEXTS[lang] && TEXTS[lang][key]) || TEXTS.en[key] || key;
    Object.keys(vars || {}).forEach(function (k) {
      text = text.split('{' + k + '}').join(String(vars[k]));
    });
    return text;
  }
  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }
  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }
  function when(value) {
    return value ? new Date(value).toLocaleString(lang === 'fr' ? 'fr-FR' : 'en-GB') : '';
  }
  function say(message) {
    $('status').textContent = message || '';
  }

  function localise() {
    document.documentElement.lang = lang;
    document.querySelectorAll('[data-i18n]').forEach(function (node) {
      node.textContent = t(node.getAttribute('data-i18n'));
    });
    $('lang').value = lang;
  }

  function call(method, path, body) {
    var headers = {};
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (method !== 'GET') headers['X-CSRF-Token'] = csrf;
    return fetch(API + path, {
      method: method,
      headers: headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    }).then(function (res) {
      return res
        .json()
        .catch(function () {
          return {};
        })
        .then(function (json) {
          if (res.status === 401 && path !== '/session') {
            signedOut(t('error.session'));
            throw new Error('session');
          }
          if (!res.ok) {
            var e = new Error((json.error && json.error.message) || t('error.generic'));
            e.status = res.status;
            throw e;
          }
          return json;
        });
    });
  }
  function fail(error) {
    if (error.message !== 'session') say(error.message);
  }

  function signedIn(session) {
    csrf = session.csrfToken;
    $('staff-name').textContent = session.staff.name;
    $('sign-in-view').hidden = true;
    $('nav').hidden = false;
    $('sign-out').hidden = false;
    say('');
    show('queue');
    startLive();
  }
  function signedOut(message) {
    csrf = '';
    stopLive();
    ['queue-view', 'ticket-view', 'live-view', 'figures-view'].forEach(function (id) {
      $(id).hidden = true;
    });
    $('nav').hidden = true;
    $('sign-out').hidden = true;
    $('staff-name').textContent = '';
    $('sign-in-view').hidden = false;
    say(message || '');
  }

  function show(name) {
    view = name;
    ['queue', 'ticket', 'live', 'figures'].forEach(function (v) {
      $(v + '-view').hidden = v !== name;
    });
    document.querySelectorAll('#nav button').forEach(function (b) {
      if (b.getAttribute('data-view') === name) b.setAttribute('aria-current', 'page');
      else b.removeAttribute('aria-current');
    });
    refresh();
    if (name !== 'ticket') $('main').focus();
  }

  /* Live updates: Server-Sent Events from the database's changes (any Helpline process); while
   * the stream is down the browser reconnects by itself (resuming with Last-Event-ID) and the
   * console polls every 3 seconds meanwhile. A refused stream is tried again after 30 seconds. */
  function startLive() {
    stopLive();
    if (!window.EventSource) {
      startPolling();
      return;
    }
    var source = new window.EventSource(API + '/events');
    live = source;
    source.addEventListener('ready', function () {
      stopPolling();
      document.body.setAttribute('data-live', 'stream');
      refresh();
      if (view !== 'live') checkWaiting();
    });
    source.addEventListener('change', function (event) {
      var change = null;
      try {
        change = JSON.parse(event.data);
      } catch {
        change = null;
      }
      if (change) onChange(change);
      else refresh();
    });
    source.addEventListener('session-ended', function () {
      signedOut(t('error.session'));
    });
    source.onerror = function () {
      startPolling();
      if (source.readyState === 2 && live === source) {
        live = null;
        liveRetry = window.setTimeout(function () {
          if (csrf) startLive();
        }, 30000);
      }
    };
  }
  function stopLive() {
    if (live) live.close();
    live = null;
    window.clearTimeout(liveRetry);
    stopPolling();
  }
  function startPolling() {
    document.body.setAttribute('data-live', 'polling');
    if (!poller) poller = window.setInterval(refresh, 3000);
  }
  function stopPolling() {
    window.clearInterval(poller);
    poller = 0;
  }
  /* Changes come in bursts (a status change and its note): reload what is shown once per burst,
   * and only when the change concerns it. */
  function onChange(change) {
    changed[change.kind] = true;
    if (change.kind === 'ticket' && change.id === currentTicket) changed.currentTicket = true;
    if (changeTimer) return;
    changeTimer = window.setTimeout(function () {
      var what = changed;
      changed = {};
      changeTimer = 0;
      if (!csrf) return;
      if (view === 'queue' && what.ticket) loadQueue();
      else if (view === 'ticket' && what.currentTicket) loadTicket(currentTicket, false);
      else if (view === 'live' && what.handoff) loadHandoffs();
      if (view !== 'live' && what.handoff) checkWaiting();
    }, 200);
  }

  /* Conversations waiting for an agent, shown next to "Live conversations" from any view. */
  function checkWaiting() {
    call('GET', '/handoffs').then(function (data) {
      showWaiting(data.handoffs);
    }, fail);
  }
  function showWaiting(handoffs) {
    var waiting = handoffs.filter(function (h) {
      return h.status === 'queued';
    }).length;
    $('live-waiting').hidden = !waiting;
    $('live-waiting').textContent = waiting ? t('live.waiting', { n: waiting }) : '';
  }

  function refresh() {
    if (!csrf) return;
    if (view === 'queue') loadQueue();
    else if (view === 'live') loadHandoffs();
    else if (view === 'ticket' && currentTicket) loadTicket(currentTicket, false);
  }

  function loadQueue() {
    var params = new URLSearchParams();
    if ($('q').value.trim()) params.set('q', $('q').value.trim());
    if ($('f-status').value) params.set('status', $('f-status').value);
    if ($('f-severity').value) params.set('severity', $('f-severity').value);
    call('GET', '/tickets?' + params.toString()).then(function (page) {
      var body = document.querySelector('#queue-table tbody');
      clear(body);
      if (!page.items.length) {
        var row = el('tr');
        var cell = el('td', t('queue.empty'));
        cell.colSpan = 6;
        row.appendChild(cell);
        body.appendChild(row);
      }
      page.items.forEach(function (item) {
        var row = el('tr');
        var first = el('td');
        var link = el('a', item.number);
        link.href = '#ticket/' + encodeURIComponent(item.number);
        link.addEventListener('click', function (event) {
          event.preventDefault();
          openTicket(item.number);
        });
        first.appendChild(link);
        if (item.triagePriority)
          first.appendChild(el('span', ' ★', '')).setAttribute('title', t('ticket.certified'));
        row.appendChild(first);
        row.appendChild(el('td', item.severity, 'sev-' + item.severity));
        row.appendChild(el('td', item.subject));
        row.appendChild(el('td', item.organisationName));
        row.appendChild(el('td', item.status));
        row.appendChild(el('td', when(item.createdAt)));
        body.appendChild(row);
      });
    }, fail);
  }

  function openTicket(number) {
    currentTicket = number;
    show('ticket');
    loadTicket(number, true);
  }

  function loadTicket(number, focus) {
    call('GET', '/tickets/' + encodeURIComponent(number)).then(function (data) {
      var ticket = data.ticket;
      $('ticket-title').textContent = ticket.number + ' — ' + ticket.subject;
      var fields = $('ticket-fields');
      clear(fields);
      var rows = [
        ['requester', ticket.requester.name + ' <' + ticket.requester.email + '>'],
        ['organisation', ticket.organisationName],
        ['status', ticket.status],
        ['severity', ticket.severity + ' (' + ticket.priority + ')'],
        ['module', ticket.module],
        ['summary', ticket.summary && ticket.summary.problem + ' — ' + ticket.summary.status],
        ['description', ticket.description],
        ['expectedResult', ticket.expectedResult],
        ['serverUrl', ticket.serverUrl],
        ['stepsToReproduce', ticket.stepsToReproduce],
        [
          'devices',
          (ticket.devices || [])
            .map(function (d) {
              return d.serialNumber + ' / ' + d.deviceNumber;
            })
            .join(', '),
        ],
        ['productVersion', ticket.productVersion],
        ['missingInformation', (ticket.missingInformation || []).join(', ')],
        ['assignee', ticket.assignee && ticket.assignee.name],
        ['expectedFirstResponse', when(ticket.expectedFirstResponse)],
        ['channel', ticket.channel],
        ['ccs', (ticket.ccs || []).join(', ')],
      ];
      rows.forEach(function (pair) {
        if (!pair[1]) return;
        fields.appendChild(el('dt', t('field.' + pair[0])));
        fields.appendChild(el('dd', pair[1]));
      });
      var articles = $('ticket-articles');
      clear(articles);
      (ticket.articlesTried || []).forEach(function (a) {
        articles.appendChild(el('li', a.title));
      });
      if (!articles.firstChild) articles.appendChild(el('li', t('ticket.none')));
      var timeline = $('ticket-timeline');
      clear(timeline);
      ticket.timeline.forEach(function (event) {
        var item = el('li', null, event.visibility === 'internal' ? 'internal' : 'public');
        item.appendChild(
          el(
            'span',
            when(event.at) +
              ' · ' +
              event.by.name +
              ' · ' +
              event.type +
              (event.visibility === 'internal' ? ' · ' + t('ticket.internal') : ''),
            'meta',
          ),
        );
        var d = event.data || {};
        var text =
          d.text ||
          d.note ||
          (d.to ? d.from + ' → ' + d.to : '') ||
          d.reason ||
          (d.assignee && d.assignee.name) ||
          '';
        if (text) item.appendChild(el('span', text));
        timeline.appendChild(item);
      });
      var viewers = $('ticket-viewers');
      clear(viewers);
      data.viewers.forEach(function (v) {
        viewers.appendChild(el('li', v.name + ' · ' + when(v.at)));
      });
      var satisfaction = $('ticket-satisfaction');
      clear(satisfaction);
      (data.satisfaction || []).forEach(function (s) {
        satisfaction.appendChild(
          el(
            'li',
            (s.score ? s.score + '/5' : '…') +
              (s.comment ? ' — ' + s.comment : '') +
              ' · ' +
              when(s.answeredAt || s.askedAt),
          ),
        );
      });
      if (!satisfaction.firstChild) satisfaction.appendChild(el('li', t('ticket.none')));
      if (focus) {
        $('ticket-title').setAttribute('tabindex', '-1');
        $('ticket-title').focus();
      }
    }, fail);
  }

  function loadHandoffs() {
    call('GET', '/handoffs').then(function (data) {
      showWaiting(data.handoffs);
      var list = $('handoff-list');
      clear(list);
      data.handoffs
        .slice()
        .reverse()
        .forEach(function (h) {
          var item = el('li');
          var button = el('button');
          button.type = 'button';
          button.setAttribute('data-handoff', h.id);
          button.appendChild(el('span', h.status, 'state'));
          button.appendChild(
            el(
              'span',
              ' · ' +
                (h.requesterName || t('live.anonymous')) +
                (h.organisationName ? ' (' + h.organisationName + ')' : ''),
            ),
          );
          button.appendChild(el('span', ' · ' + when(h.createdAt), 'meta'));
          button.addEventListener('click', function () {
            currentHandoff = h.id;
            loadHandoff();
          });
          item.appendChild(button);
          list.appendChild(item);
        });
      if (!list.firstChild) list.appendChild(el('li', t('live.empty')));
      if (currentHandoff) loadHandoff();
    }, fail);
  }

  function loadHandoff() {
    call('GET', '/handoffs/' + currentHandoff).then(function (data) {
      var h = data.handoff;
      $('handoff-detail').hidden = false;
      $('handoff-title').textContent =
        (h.requesterName || t('live.anonymous')) + (h.organisationName ? ' — ' + h.organisationName : '');
      $('handoff-state').textContent =
        h.status + (h.agent ? ' · ' + h.agent.name : '') + (h.ticketNumber ? ' · ' + h.ticketNumber : '');
      $('accept').hidden = h.status !== 'queued';
      $('end').hidden = h.status !== 'accepted';
      $('chat-form').hidden = h.status !== 'accepted';
      var chat = $('chat');
      var atBottom = chat.scrollTop + chat.clientHeight >= chat.scrollHeight - 4;
      clear(chat);
      h.transcript.concat(data.messages).forEach(function (line) {
        var item = el('li', null, line.from);
        item.appendChild(el('span', (line.name || line.from) + ' · ' + when(line.at), 'meta'));
        item.appendChild(el('span', line.text));
        chat.appendChild(item);
      });
      if (atBottom) chat.scrollTop = chat.scrollHeight;
    }, fail);
  }

  function loadFigures() {
    var params = new URLSearchParams({ from: $('fig-from').value, to: $('fig-to').value });
    call('GET', '/figures?' + params.toString()).then(function (figures) {
      window.HelplineCharts.render($('figures'), figures, lang);
    }, fail);
  }

  function onSubmit(id, handler) {
    $(id).addEventListener('submit', function (event) {
      event.preventDefault();
      say('');
      handler();
    });
  }

  document.addEventListener('DOMContentLoaded', function () {
    localise();
    $('lang').addEventListener('change', function () {
      lang = $('lang').value;
      window.localStorage.setItem('helpline.console.lang', lang);
      localise();
      refresh();
    });
    document.querySelectorAll('[data-view]').forEach(function (b) {
      b.addEventListener('click', function () {
        show(b.getAttribute('data-view'));
      });
    });
    onSubmit('sign-in-form', function () {
      call('POST', '/session', { token: $('token').value }).then(function (session) {
        $('token').value = '';
        signedIn(session);
      }, fail);
    });
    $('sign-out').addEventListener('click', function () {
      call('POST', '/session/end', {}).then(function () {
        signedOut('');
      }, fail);
    });
    onSubmit('queue-filters', loadQueue);
    onSubmit('reply-form', function () {
      var visibility = document.querySelector('input[name="visibility"]:checked').value;
      call('POST', '/tickets/' + encodeURIComponent(currentTicket) + '/comments', {
        text: $('reply-text').value,
        visibility: visibility,
      }).then(function () {
        $('reply-text').value = '';
        say(t('ticket.sent'));
        loadTicket(currentTicket, false);
      }, fail);
    });
    onSubmit('status-form', function () {
      call('POST', '/tickets/' + encodeURIComponent(currentTicket) + '/status', {
        status: $('status-select').value,
      }).then(function () {
        loadTicket(currentTicket, false);
      }, fail);
    });
    $('assign-me').addEventListener('click', function () {
      call('POST', '/tickets/' + encodeURIComponent(currentTicket) + '/assign', {}).then(function () {
        loadTicket(currentTicket, false);
      }, fail);
    });
    $('accept').addEventListener('click', function () {
      call('POST', '/handoffs/' + currentHandoff + '/accept', {}).then(loadHandoffs, fail);
    });
    $('end').addEventListener('click', function () {
      call('POST', '/handoffs/' + currentHandoff + '/end', {}).then(loadHandoffs, fail);
    });
    onSubmit('chat-form', function () {
      call('POST', '/handoffs/' + currentHandoff + '/messages', { text: $('chat-text').value }).then(
        function () {
          $('chat-text').value = '';
          loadHandoff();
        },
        fail,
      );
    });
    onSubmit('convert-form', function () {
      var body = { module: $('convert-module').value, severity: Number($('convert-severity').value) };
      if ($('convert-subject').value.trim()) body.subject = $('convert-subject').value.trim();
      call('POST', '/handoffs/' + currentHandoff + '/ticket', body).then(function (result) {
        say(t('live.converted', { number: result.ticketNumber }));
        loadHandoffs();
      }, fail);
    });
    var today = new Date();
    $('fig-to').value = today.toISOString().slice(0, 10);
    $('fig-from').value = new Date(today.getTime() - 29 * 86400000).toISOString().slice(0, 10);
    onSubmit('figures-form', loadFigures);
    document.querySelector('[data-view="figures"]').addEventListener('click', loadFigures);

    call('GET', '/session')
      .then(
        function (session) {
          signedIn(session);
          return call('GET', '/modules');
        },
        function () {
          signedOut('');
        },
      )
      .then(
        function (data) {
          if (data) fillModules(data.modules);
        },
        function () {
          return undefined;
        },
      );
    $('sign-in-form').addEventListener('submit', function () {
      window.setTimeout(function () {
        call('GET', '/modules').then(
          function (d) {
            fillModules(d.modules);
          },
          function () {
            return undefined;
          },
        );
      }, 500);
    });
  });

  function fillModules(modules) {
    var select = $('convert-module');
    clear(select);
    modules.forEach(function (m) {
      var option = el('option', m.name[lang] || m.name.en);
      option.value = m.id;
      select.appendChild(option);
    });
  }
})();
