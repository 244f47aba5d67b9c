/* Figures as numbers and inline SVG bar charts; every label is set as text, never markup. */
(function () {
  'use strict';
  var SVG = 'http://www.w3.org/2000/svg';
  var WORDS = {
    en: {
      conversations: 'Conversations',
      knowledge: 'Knowledge answers',
      shown: 'shown',
      solved: 'solved',
      notSolved: 'not solved',
      deflection: 'Deflection',
      solvedWithoutTicket: 'solved without a ticket',
      endedAfterArticles: 'ended after articles, no ticket within 24 h',
      tickets: 'Tickets opened',
      byModule: 'by module',
      bySeverity: 'by severity',
      complete: 'opened complete',
      onHold: 'opened on hold',
      response: 'Response times',
      firstResponse: 'first response within target',
      resolution: 'median time to resolution (hours)',
      handoffs: 'Handoffs',
      requested: 'requested',
      accepted: 'accepted',
      timedOut: 'timed out',
      timeToAccept: 'median time to accept (seconds)',
      satisfaction: 'Satisfaction',
      average: 'average',
      answers: 'answers',
      gaps: 'Searches that found nothing',
      none: 'None.',
      severity: 'severity',
    },
    fr: {
      conversations: 'Conversations',
      knowledge: 'Réponses de la base de connaissances',
      shown: 'montrées',
      solved: 'résolues',
      notSolved: 'non résolues',
      deflection: 'Évitement',
      solvedWithoutTicket: 'résolu sans ticket',
      endedAfterArticles: 'terminées après des articles, sans ticket sous 24 h',
      tickets: 'Tickets ouverts',
      byModule: 'par module',
      bySeverity: 'par gravité',
      complete: 'ouverts complets',
      onHold: 'ouverts en attente',
      response: 'Délais',
      firstResponse: 'première réponse dans les délais',
      resolution: 'délai médian de résolution (heures)',
      handoffs: 'Transferts',
      requested: 'demandés',
      accepted: 'acceptés',
      timedOut: 'expirés',
      timeToAccept: "délai médian d'acceptation (secondes)",
      satisfaction: 'Satisfaction',
      average: 'moyenne',
      answers: 'réponses',
      gaps: 'Recherches sans résultat',
      none: 'Aucune.',
      severity: 'gravité',
    },
  };

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }
  function pct(value) {
    return value === null || value === undefined ? '–' : Math.round(value * 100) + ' %';
  }
  function num(value) {
    return value === null || value === undefined ? '–' : String(Math.round(value * 10) / 10);
  }

  function bars(title, entries) {
    var width = 320,
      row = 22,
      labelWidth = 130;
    var max = Math.max.apply(
      null,
      entries
        .map(function (e) {
          return e[1];
        })
        .concat([1]),
    );
    var svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('viewBox', '0 0 ' + width + ' ' + Math.max(row, entries.length * row));
    svg.setAttribute('role', 'img');
    var label = document.createElementNS(SVG, 'title');
    label.textContent =
      title +
      ': ' +
      entries
        .map(function (e) {
          return e[0] + ' ' + e[1];
        })
        .join(', ');
    svg.appendChild(label);
    entries.forEach(function (entry, i) {
      var text = document.createElementNS(SVG, 'text');
      text.setAttribute('x', '0');
      text.setAttribute('y', String(i * row + 15));
      text.setAttribute('font-size', '12');
      text.textContent = entry[0];
      svg.appendChild(text);
      var rect = document.createElementNS(SVG, 'rect');
      rect.setAttribute('x', String(labelWidth));
      rect.setAttribute('y', String(i * row + 4));
      rect.setAttribute('height', '14');
      rect.setAttribute('width', String(Math.max(1, ((width - labelWidth - 40) * entry[1]) / max)));
      rect.setAttribute('fill', '#1f4fbf');
      svg.appendChild(rect);
      var value = document.createElementNS(SVG, 'text');
      value.setAttribute('x', String(labelWidth + ((width - labelWidth - 40) * entry[1]) / max + 4));
      value.setAttribute('y', String(i * row + 15));
      value.setAttribute('font-size', '12');
      value.textContent = String(entry[1]);
      svg.appendChild(value);
    });
    return svg;
  }

  function section(root, title, numbers, chart) {
    var box = el('section', null, 'figure');
    box.appendChild(el('h3', title));
    var list = el('ul', null, 'numbers');
    numbers.forEach(function (pair) {
      list.appendChild(el('li', pair[0] + ': ' + pair[1]));
    });
    box.appendChild(list);
    if (chart) box.appendChild(chart);
    root.appendChild(box);
  }

  function render(root, f, lang) {
    var w = WORDS[lang] || WORDS.en;
    while (root.firstChild) root.removeChild(root.firstChild);
    section(root, w.conversations, [[w.conversations, f.conversations]]);
    section(
      root,
      w.knowledge,
      [
        [w.shown, f.knowledge.shown],
        [w.solved, f.knowledge.solved],
        [w.notSolved, f.knowledge.notSolved],
      ],
      bars(w.knowledge, [
        [w.solved, f.knowledge.solved],
        [w.notSolved, f.knowledge.notSolved],
        [w.shown, f.knowledge.shown],
      ]),
    );
    section(root, w.deflection, [
      [w.solvedWithoutTicket, pct(f.deflection.solvedWithoutTicketRate)],
      [w.endedAfterArticles, pct(f.deflection.endedWithoutTicketRate)],
    ]);
    section(
      root,
      w.tickets + ' — ' + w.byModule,
      [
        [w.complete, pct(f.tickets.completeShare)],
        [w.onHold, pct(1 - (f.tickets.completeShare || 0))],
      ],
      bars(
        w.byModule,
        Object.keys(f.tickets.byModule).map(function (k) {
          return [k, f.tickets.byModule[k]];
        }),
      ),
    );
    section(
      root,
      w.tickets + ' — ' + w.bySeverity,
      [],
      bars(
        w.bySeverity,
        Object.keys(f.tickets.bySeverity).map(function (k) {
          return [w.severity + ' ' + k, f.tickets.bySeverity[k]];
        }),
      ),
    );
    section(
      root,
      w.response,
      Object.keys(f.responseTimes).map(function (k) {
        var r = f.responseTimes[k];
        return [
          w.severity + ' ' + k,
          w.firstResponse +
            ' ' +
            pct(r.firstResponseWithinTargetRate) +
            ' · ' +
            w.resolution +
            ' ' +
            num(r.medianResolutionHours),
        ];
      }),
    );
    section(
      root,
      w.handoffs,
      [
        [w.requested, f.handoffs.requested],
        [w.accepted, f.handoffs.accepted],
        [w.timedOut, f.handoffs.timedOut],
        [w.timeToAccept, num(f.handoffs.medianSecondsToAccept)],
      ],
      bars(w.handoffs, [
        [w.requested, f.handoffs.requested],
        [w.accepted, f.handoffs.accepted],
        [w.timedOut, f.handoffs.timedOut],
      ]),
    );
    section(
      root,
      w.satisfaction,
      [
        [w.average, num(f.satisfaction.average)],
        [w.answers, f.satisfaction.answers],
      ],
      bars(
        w.satisfaction,
        [1, 2, 3, 4, 5].map(function (s) {
          return [String(s), f.satisfaction.distribution[String(s)] || 0];
        }),
      ),
    );
    var gaps = el('section', null, 'figure');
    gaps.appendChild(el('h3', w.gaps));
    var list = el('ol');
    f.knowledgeGaps.forEach(function (g) {
      list.appendChild(el('li', g.query + ' (' + g.count + ')'));
    });
    if (!f.knowledgeGaps.length) list.appendChild(el('li', w.none));
    gaps.appendChild(list);
    root.appendChild(gaps);
  }

  window.HelplineCharts = { render: render };
})();
