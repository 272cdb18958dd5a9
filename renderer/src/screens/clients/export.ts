/**
 * Clients to CSV in FrontDesk's own template (the columns the importer reads back without mapping), with the
 * separator a spreadsheet in the salon's locale expects and a BOM so Excel reads UTF-8.
 */
import { TEMPLATE_COLUMNS, TEMPLATE_HEADERS } from '../../../../shared/clients/import-columns.ts';
import { csvLine, csvSeparatorFor } from '../../../../shared/csv/csv.ts';
import type { Client } from '../../../../shared/domain/client.ts';

export function clientsCsv(clients: readonly Client[], locale: string): string {
  const separator = csvSeparatorFor(locale);
  const lines = [csvLine(TEMPLATE_COLUMNS.map((c) => TEMPLATE_HEADERS[c]), separator)];
  for (const client of clients) {
    lines.push(
      csvLine(
        TEMPLATE_COLUMNS.map((column) => {
          if (column === 'marketingConsent') return client.marketingConsent ? 'yes' : 'no';
          return client[column];
        }),
        separator,
      ),
    );
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
