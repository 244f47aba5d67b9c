/* Helpline web chat page: gets a Direct Line token from this server (as a site backend would),
 * resumes the conversation of this tab when it can, and renders the standard Web Chat widget. */
(function () {
  'use strict';
  var STORAGE_KEY = 'helpline.conversation';
  var DIRECT_LINE = window.location.origin + '/directline';

  function showError(message) {
    var el = document.getElementById('chat-error');
    el.textContent = message;
    el.hidden = false;
  }

  function post(path, token, body) {
    var headers = { 'Content-Type': 'application/json' };
    if (token) headers.Authorization = 'Bearer ' + token;
    return fetch(DIRECT_LINE + path, {
      method: 'POST',
      headers: headers,
      body: JSON.stringify(body || {}),
    }).then(function (res) {
      if (!res.ok) throw new Error('HTTP ' + res.status);
      return res.json();
    });
  }

  var FRENCH = (navigator.language || '').toLowerCase().indexOf('fr') === 0;

  // The page's own few words follow the browser's language, as the bot does.
  function localisePage() {
    if (!FRENCH) return;
    document.documentElement.lang = 'fr';
    document.querySelector('.brand .sub').textContent = 'Support technique';
    document.getElementById('signin-label').textContent = 'Utilisateur de démo';
    document.querySelector('#signin option[value=""]').textContent = 'Visiteur anonyme';
    document.querySelector('.chat').setAttribute('aria-label', 'Discuter avec Helpline');
  }

  // Demo only: the server offers its demo contacts and signs a user token, as a support site would.
  function setUpDemoSignIn() {
    // A page opened with its own signed user token is already signed in by its site.
    if (new URLSearchParams(window.location.search).get('userToken')) return;
    var select = document.getElementById('signin');
    fetch('/demo/users')
      .then(function (res) {
        return res.ok ? res.json() : null;
      })
      .then(function (body) {
        if (!body) return;
        body.users.forEach(function (u) {
          var option = document.createElement('option');
          option.value = u.subject;
          option.textContent = u.name + ' <' + u.email + '>';
          select.appendChild(option);
        });
        var current = window.sessionStorage.getItem(STORAGE_KEY + '.user') || '';
        select.value = current;
        select.hidden = false;
        document.getElementById('signin-label').hidden = false;
        select.addEventListener('change', function () {
          window.sessionStorage.setItem(STORAGE_KEY + '.user', select.value);
          window.sessionStorage.removeItem(STORAGE_KEY);
          window.location.reload();
        });
      })
      .catch(function () {});
  }

  function demoUserToken() {
    var subject = window.sessionStorage.getItem(STORAGE_KEY + '.user');
    if (!subject) return Promise.resolve(null);
    return fetch('/demo/sign-in', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ subject: subject }),
    }).then(function (res) {
      return res.ok
        ? res.json().then(function (b) {
            return b.userToken;
          })
        : null;
    });
  }

  function saved() {
    try {
      return JSON.parse(window.sessionStorage.getItem(STORAGE_KEY) || 'null');
    } catch {
      return null;
    }
  }

  function save(session) {
    window.sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
  }

  // Resume this tab's conversation (a fresh token for it), else start a new one.
  function session() {
    var previous = saved();
    var fresh = function () {
      var params = new URLSearchParams(window.location.search);
      var body = { locale: navigator.language };
      return demoUserToken()
        .then(function (demoToken) {
          var userToken = params.get('userToken') || demoToken;
          if (userToken) body.userToken = userToken;
          return post('/tokens/generate', null, body);
        })
        .then(function (r) {
          var s = { token: r.token, conversationId: r.conversationId, resumed: false };
          save(s);
          return s;
        });
    };
    if (!previous || !previous.token) return fresh();
    return post('/tokens/refresh', previous.token)
      .then(function (r) {
        var s = { token: r.token, conversationId: r.conversationId, resumed: true };
        save(s);
        return s;
      })
      .catch(fresh);
  }

  // Web Chat writes "sent at" times on a 12-hour clock in every language ("4:49 PM" on a French
  // page, its date skeleton asks for it); a sent message's time is written the way the page's
  // language writes it instead ("2 décembre à 16:49"). Web Chat's bundle has no global React, and
  // a status rendered as a bare string is dropped, so this returns a React (16) element literal.
  function sentAtInLocale(locale) {
    var format = new Intl.DateTimeFormat(locale, {
      day: 'numeric',
      month: 'long',
      hour: 'numeric',
      minute: '2-digit',
    });
    var sentAt = FRENCH ? 'Envoyé le ' : 'Sent ';
    return function () {
      return function (next) {
        return function (args) {
          var activity = args && args.activity;
          if (!activity || !activity.timestamp || args.sendState !== 'sent') return next(args);
          // A time hidden by grouping stays for screen readers, as Web Chat does it.
          return {
            $$typeof: Symbol.for('react.element'),
            type: 'span',
            key: null,
            ref: null,
            props: {
              className: args.hideTimestamp
                ? 'helpline-sent-at helpline-sent-at--hidden'
                : 'helpline-sent-at',
              children: sentAt + format.format(new Date(activity.timestamp)),
            },
            _owner: null,
          };
        };
      };
    };
  }

  localisePage();
  setUpDemoSignIn();
  session()
    .then(function (s) {
      var options = { token: s.token, domain: DIRECT_LINE, webSocket: true };
      if (s.resumed) {
        options.conversationId = s.conversationId;
        options.watermark = '0';
      }
      var directLine = window.WebChat.createDirectLine(options);
      var locale = FRENCH ? 'fr-FR' : 'en-US';
      window.WebChat.renderWebChat(
        {
          directLine: directLine,
          locale: locale,
          activityStatusMiddleware: sentAtInLocale(locale),
          styleOptions: {
            // On a phone every suggested action stays on screen: they wrap instead of scrolling sideways.
            suggestedActionLayout: 'flow',
            bubbleBorderRadius: 10,
            bubbleFromUserBorderRadius: 10,
            bubbleFromUserBackground: '#e6f0fa',
            botAvatarInitials: 'HL',
            hideUploadButton: true,
            sendBoxHeight: 48,
          },
        },
        document.getElementById('webchat'),
      );
    })
    .catch(function () {
      showError(
        FRENCH
          ? 'Le chat n’a pas pu démarrer. Vérifiez votre connexion puis rechargez la page.'
          : 'The chat could not start. Please check your connection and reload the page.',
      );
    });
})();
