import { existsSync } from 'node:fs';
import path from 'node:path';
import { Router } from 'express';
import { tabTexts } from './tabApi';

/** Teams' own web addresses, the only pages allowed to frame the tab in production. */
const TEAMS_FRAME_ANCESTORS = [
  'https://teams.microsoft.com',
  'https://*.teams.microsoft.com',
  'https://teams.cloud.microsoft',
  'https://*.cloud.microsoft',
  'https://*.office.com',
  'https://*.office365.com',
  'https://*.microsoft365.com',
  'https://outlook.office.com',
  'https://teams.microsoft.us',
  'https://*.teams.microsoft.us',
];

export interface TeamsRoutesOptions {
  projectRoot: string;
  /** The JSON API of the tab (`createTabApiRouter`), mounted at /api/tab. */
  tabApi: Router;
  tabApiPath: string;
  /** Loopback origins that may host the tab besides Teams (tests and local use only). */
  devOrigins: string[];
  /** The Teams app id: a ticket link then opens the ticket in the tab. */
  appId: string | undefined;
  /** The static tab's entity id in the manifest. */
  tabEntityId: string;
}

/**
 * The Teams side of the web surface: the "My requests" tab page and its words, TeamsJS from the
 * installed package (no CDN), the tab's API, and `/tickets/:number`, Helpline's own ticket link,
 * which opens the ticket in the tab (and which the bot unfurls in conversations).
 */
export function createTeamsRouter(options: TeamsRoutesOptions): Router {
  const router = Router();
  const teamsJs = findTeamsJs();
  const tabPage = path.join(options.projectRoot, 'web', 'teams', 'tab.html');
  const frameAncestors = [...TEAMS_FRAME_ANCESTORS, ...options.devOrigins].join(' ');
  const config = { devOrigins: options.devOrigins, texts: tabTexts() };

  router.get('/vendor/teams-js.js', (_req, res) => {
    res.sendFile(teamsJs, { maxAge: '1h' });
  });
  router.get('/teams/tab', (_req, res) => {
    res.setHeader(
      'Content-Security-Policy',
      `default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors ${frameAncestors}`,
    );
    res.sendFile(tabPage);
  });
  router.get('/teams/tab/config.json', (_req, res) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.json(config);
  });
  router.get('/tickets/:number', (req, res) => {
    const number = /^[A-Za-z0-9-]{1,40}$/.test(req.params.number) ? req.params.number.toUpperCase() : '';
    if (!options.appId || !number) {
      res.redirect(302, '/teams/tab');
      return;
    }
    const context = encodeURIComponent(JSON.stringify({ subEntityId: number }));
    res.redirect(
      302,
      `https://teams.microsoft.com/l/entity/${options.appId}/${options.tabEntityId}?context=${context}`,
    );
  });
  router.use(options.tabApiPath, options.tabApi);
  return router;
}

/** The installed TeamsJS bundle (the package exports no file paths, so look where Node would). */
function findTeamsJs(): string {
  for (const dir of require.resolve.paths('@microsoft/teams-js') ?? []) {
    const candidate = path.join(dir, '@microsoft', 'teams-js', 'dist', 'umd', 'MicrosoftTeams.min.js');
    if (existsSync(candidate)) return candidate;
  }
  throw new Error('@microsoft/teams-js is not installed: run npm install');
}
