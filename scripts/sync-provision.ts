/**
 * Sets a CouchDB server up for one FrontDesk location (README: Sync): the location's databases, one user per desk,
 * and `_security` so only those users can use them. Passwords come from the environment, never the command line:
 * FRONTDESK_COUCH_ADMIN_PASSWORD, and FRONTDESK_DESK_PASSWORD_<DESK> per desk (the user name upper-cased, - as _).
 *
 *   node scripts/launch.mjs scripts/sync-provision.ts --endpoint https://couch:6984/ --admin admin --location loc-1 \
 *     [--prefix frontdesk-loc-1] --desk desk-1 --desk desk-2
 */
import { parseArgs } from 'node:util';
import { provisionLocation } from '../electron/host/sync/provision.ts';
import { defaultDatabasePrefix } from '../shared/sync/sync-config.ts';

const { values } = parseArgs({ options: { endpoint: { type: 'string' }, admin: { type: 'string' }, location: { type: 'string' }, prefix: { type: 'string' }, desk: { type: 'string', multiple: true } } });
const fail = (message: string): never => {
  process.stderr.write(`${message}\n`);
  process.exit(2);
};
const endpoint = values.endpoint ?? fail('--endpoint https://… is required');
const location = values.location ?? fail('--location <location id> is required');
const adminPassword = process.env.FRONTDESK_COUCH_ADMIN_PASSWORD ?? fail('Set FRONTDESK_COUCH_ADMIN_PASSWORD.');
const desks = (values.desk ?? []).map((username) => {
  const variable = `FRONTDESK_DESK_PASSWORD_${username.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
  return { username, password: process.env[variable] ?? fail(`Set ${variable} (the password of desk user ${username}).`) };
});
const result = await provisionLocation({
  endpoint: endpoint.endsWith('/') ? endpoint : `${endpoint}/`,
  admin: { username: values.admin ?? 'admin', password: adminPassword },
  databasePrefix: values.prefix ?? defaultDatabasePrefix(location),
  desks,
});
process.stdout.write(`Databases: ${result.databases.join(', ')}\nDesk users: ${result.users.join(', ') || '(none)'}\n`);
