import type { RawEnv } from '../../bot/config';

/** A complete configuration of the Teams package, with example values (tests and bench:teams). */
export const TEAMS_PACKAGE_ENV: RawEnv = {
  TEAMS_APP_ID: '6f1c4f3e-7a3b-4a7e-9a51-3c1c2f9b8d10',
  MicrosoftAppId: '0c5b6a3e-1d2f-4b7a-8e9c-0a1b2c3d4e5f',
  TEAMS_SSO_CLIENT_ID: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
  PUBLIC_URL: 'https://helpline.example.com',
  TEAMS_DEVELOPER_NAME: 'Example Software',
  TEAMS_DEVELOPER_URL: 'https://www.example.com',
  TEAMS_PRIVACY_URL: 'https://www.example.com/privacy',
  TEAMS_TERMS_URL: 'https://www.example.com/terms',
  TEAMS_UNFURL_DOMAINS: 'support.example.com',
};
