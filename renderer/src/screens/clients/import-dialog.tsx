/**
 * Importing a client base from CSV: pick the file (UTF-8, UTF-16, or a Windows code page: csv-decode.ts), check
 * what each column holds (recognised for common salon systems, correctable), choose what a duplicate does, then the
 * host checks every row with a progress bar — Cancel stops it with nothing imported — and lists the invalid rows
 * with why; only "Import" writes, all clients in one go. Route: #/clients/import.
 */
import { useEffect, useRef, useState } from 'react';
import { Alert, Anchor, Badge, Button, FileButton, Group, Modal, NativeSelect, Progress, ScrollArea, SegmentedControl, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { IconFileUpload } from '@tabler/icons-react';
import { detectFormat, guessMapping, IMPORT_FIELDS, mappingProblems, TEMPLATE_COLUMNS, TEMPLATE_HEADERS, type ColumnMapping, type ImportField } from '../../../../shared/clients/import-columns.ts';
import type { ImportSummary } from '../../../../shared/clients/import-plan.ts';
import type { RowIssue } from '../../../../shared/clients/import-rows.ts';
import { checkImport, MAX_COLUMNS } from '../../../../shared/clients/import-run.ts';
import { csvLine, csvSeparatorFor, readCsv } from '../../../../shared/csv/csv.ts';
import { decodeCsvBytes } from './csv-decode.ts';
import { useConnection } from '../../app/connection-context.ts';
import { errorText } from '../../app/coded-text.ts';
import { useI18n, type I18n } from '../../app/i18n.ts';
import { issueText } from '../../app/issues.ts';
import { navigate } from '../../app/router.ts';
import { useSalon } from '../../data/salon.ts';
import { download } from '../delivery-log/csv.ts';

type Step =
  | { kind: 'pick'; error?: string }
  | { kind: 'map' }
  | { kind: 'checking'; sent: number; summary?: ImportSummary }
  | { kind: 'review'; importId: string; summary: ImportSummary; issues: RowIssue[] }
  | { kind: 'committing'; summary: ImportSummary }
  | { kind: 'done'; created: number; updated: number; summary: ImportSummary }
  | { kind: 'cancelled' };

interface LoadedFile {
  name: string;
  header: string[];
  rows: string[][];
}

const SHOWN_ISSUES = 200;

export function ImportDialog({ opened }: { opened: boolean }) {
  const { api } = useConnection();
  const { location } = useSalon();
  const i18n = useI18n();
  const { t } = i18n;
  const [step, setStep] = useState<Step>({ kind: 'pick' });
  const [file, setFile] = useState<LoadedFile>();
  const [mapping, setMapping] = useState<ColumnMapping>([]);
  const [duplicates, setDuplicates] = useState<'merge' | 'skip'>('merge');
  const [dateOrder, setDateOrder] = useState<'dmy' | 'mdy'>(location.countryCode === 'US' ? 'mdy' : 'dmy');
  const [error, setError] = useState<string>();
  const cancelled = useRef(false);

  const busy = step.kind === 'checking' || step.kind === 'committing';
  function close() {
    if (step.kind === 'review') void api.request('clients.importCancel', { importId: step.importId });
    if (step.kind === 'checking') cancelled.current = true;
    setStep({ kind: 'pick' });
    setFile(undefined);
    setError(undefined);
    navigate({ screen: 'clients', params: [] });
  }

  async function pick(picked: File | null) {
    if (!picked) return;
    setError(undefined);
    const { rows, unclosedQuoteLine } = readCsv(decodeCsvBytes(new Uint8Array(await picked.arrayBuffer())).text);
    // The rows below such a quote were read into one cell: importing the rows above it would drop them without a word.
    if (unclosedQuoteLine !== undefined) {
      setStep({ kind: 'pick', error: t('import.unclosedQuote', { line: unclosedQuoteLine }) });
      return;
    }
    const [header, ...data] = rows;
    if (!header || data.length === 0) {
      setStep({ kind: 'pick', error: t('import.emptyFile') });
      return;
    }
    const columns = header.slice(0, MAX_COLUMNS);
    setFile({ name: picked.name, header: columns, rows: data });
    setMapping(guessMapping(columns));
    setStep({ kind: 'map' });
  }

  async function check() {
    if (!file) return;
    cancelled.current = false;
    setError(undefined);
    setStep({ kind: 'checking', sent: 0 });
    try {
      const result = await checkImport(api, { locationId: location.id, mapping, duplicates, dateOrder }, file.rows, {
        onProgress: (p) => setStep({ kind: 'checking', sent: p.sentRows, summary: p.summary }),
        isCancelled: () => cancelled.current,
      });
      setStep(result.cancelled ? { kind: 'cancelled' } : { kind: 'review', importId: result.importId, summary: result.summary, issues: result.issues });
    } catch (e) {
      setError(errorText(i18n, e));
      setStep({ kind: 'map' });
    }
  }

  async function commit(review: Extract<Step, { kind: 'review' }>) {
    setStep({ kind: 'committing', summary: review.summary });
    try {
      const done = await api.call('clients.importCommit', { importId: review.importId });
      setStep({ kind: 'done', created: done.created, updated: done.updated, summary: done.summary });
    } catch (e) {
      setError(errorText(i18n, e));
      setStep(review);
    }
  }

  async function cancelReview(review: Extract<Step, { kind: 'review' }>) {
    await api.request('clients.importCancel', { importId: review.importId });
    setStep({ kind: 'cancelled' });
  }

  function downloadTemplate() {
    const separator = csvSeparatorFor(location.locale);
    download('frontdesk-clients-template.csv', `\uFEFF${csvLine(TEMPLATE_COLUMNS.map((c) => TEMPLATE_HEADERS[c]), separator)}\r\n`);
  }

  // Each step's controls replace the last one's: the button pressed (Choose a file, Check, Import) is gone and focus
  // fell to the page, where a screen reader loses its place. Focus goes to the new step's first control instead.
  const stepRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (document.activeElement !== document.body) return;
    stepRef.current?.querySelector<HTMLElement>('button:not(:disabled), select:not(:disabled), input:not(:disabled), [href]')?.focus();
  }, [step.kind]);

  const problems = mappingProblems(mapping);
  const fieldLabel = (field: ImportField) => t(`import.field.${field}`);
  return (
    <Modal opened={opened} onClose={close} closeOnClickOutside={!busy} closeOnEscape={!busy} withCloseButton={!busy} closeButtonProps={{ 'aria-label': i18n.t('common.close') }} size="xl" title={t('import.title')} data-testid="import-dialog">
      <Stack gap="md" ref={stepRef}>
        {step.kind === 'pick' && (
          <>
            <Text size="sm">{t('import.intro')}</Text>
            <Group>
              <FileButton onChange={(f) => void pick(f)} accept=".csv,.txt,.tsv,text/csv,text/plain">
                {(props) => <Button {...props} leftSection={<IconFileUpload size={16} />} data-testid="import-pick">{t('import.pick')}</Button>}
              </FileButton>
              <Anchor component="button" type="button" size="sm" onClick={downloadTemplate} data-testid="import-template">{t('import.template')}</Anchor>
            </Group>
            {step.error && <Alert color="red" variant="light" data-testid="import-file-error">{step.error}</Alert>}
          </>
        )}

        {file && (step.kind === 'map' || step.kind === 'checking') && (
          <>
            <Group gap="xs">
              <Text size="sm" fw={600}>{file.name}</Text>
              <Badge variant="light" data-testid="import-format">{t(`import.format.${detectFormat(file.header)}.label`)}</Badge>
              <Text size="sm" c="dimmed">{t('import.rows', { count: file.rows.length })}</Text>
            </Group>
            <ScrollArea.Autosize mah={300}>
              <Table verticalSpacing={4} data-testid="import-mapping">
                <Table.Thead>
                  <Table.Tr><Table.Th>{t('import.column')}</Table.Th><Table.Th>{t('import.sample')}</Table.Th><Table.Th>{t('import.becomes')}</Table.Th></Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {file.header.map((name, i) => (
                    <Table.Tr key={i}>
                      <Table.Td><Text size="sm" fw={500}>{name || `#${i + 1}`}</Text></Table.Td>
                      <Table.Td><Text size="sm" c="dimmed" truncate maw={220}>{file.rows[0]?.[i] ?? ''}</Text></Table.Td>
                      <Table.Td>
                        <NativeSelect
                          size="xs"
                          aria-label={t('import.becomesFor', { column: name })}
                          disabled={step.kind !== 'map'}
                          value={mapping[i] ?? ''}
                          onChange={(e) => setMapping(mapping.map((f, j) => (j === i ? ((e.currentTarget.value || null) as ImportField | null) : f)))}
                          data={[{ value: '', label: t('import.ignore') }, ...IMPORT_FIELDS.map((f) => ({ value: f, label: fieldLabel(f) }))]}
                          data-testid={`import-column-${i}`}
                        />
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollArea.Autosize>
            {problems.length > 0 && (
              <Alert color="yellow" variant="light" data-testid="import-mapping-problems">
                {problems.map((p) => issueText(i18n, { code: p.code, params: p.params ? { field: fieldLabel(p.params.field as ImportField) } : undefined })).join(' ')}
              </Alert>
            )}
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <div>
                <Text size="sm" fw={500} mb={4}>{t('import.duplicates')}</Text>
                <SegmentedControl size="xs" disabled={step.kind !== 'map'} value={duplicates} onChange={(v) => setDuplicates(v as 'merge' | 'skip')} data={[{ value: 'merge', label: t('import.duplicates.merge') }, { value: 'skip', label: t('import.duplicates.skip') }]} data-testid="import-duplicates" />
                <Text size="xs" c="dimmed" mt={4}>{duplicates === 'merge' ? t('import.duplicates.mergeHint') : t('import.duplicates.skipHint')}</Text>
              </div>
              <div>
                <Text size="sm" fw={500} mb={4}>{t('import.dateOrder')}</Text>
                <SegmentedControl size="xs" disabled={step.kind !== 'map'} value={dateOrder} onChange={(v) => setDateOrder(v as 'dmy' | 'mdy')} data={[{ value: 'dmy', label: '31/12/1990' }, { value: 'mdy', label: '12/31/1990' }]} />
                <Text size="xs" c="dimmed" mt={4}>{t('import.phones', { country: location.countryCode })}</Text>
              </div>
            </SimpleGrid>
          </>
        )}

        {step.kind === 'checking' && file && (
          <Stack gap={4}>
            <Progress value={(100 * step.sent) / file.rows.length} animated data-testid="import-progress" aria-label={t('import.checking')} />
            <Text size="sm" c="dimmed">{t('import.checkedRows', { sent: step.sent, total: file.rows.length })}</Text>
          </Stack>
        )}

        {(step.kind === 'review' || step.kind === 'committing' || step.kind === 'done') && <Summary summary={step.summary} />}
        {step.kind === 'review' && step.issues.length > 0 && (
          <Stack gap={4}>
            <Text size="sm" fw={600}>{t('import.invalidRows', { count: step.summary.invalid })}</Text>
            <ScrollArea.Autosize mah={240}>
              <Table verticalSpacing={2} striped data-testid="import-issues">
                <Table.Tbody>
                  {step.issues.slice(0, SHOWN_ISSUES).map((issue, i) => (
                    <Table.Tr key={i} data-testid="import-issue" data-code={issue.code}>
                      <Table.Td w={90}><Text size="sm" style={{ fontVariantNumeric: 'tabular-nums' }}>{t('import.row', { row: issue.row })}</Text></Table.Td>
                      <Table.Td><Text size="sm">{rowIssueText(i18n, issue)}</Text></Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollArea.Autosize>
            {step.issues.length > SHOWN_ISSUES && <Text size="xs" c="dimmed">{t('import.moreIssues', { count: step.issues.length - SHOWN_ISSUES })}</Text>}
          </Stack>
        )}
        {step.kind === 'committing' && <Progress value={100} animated striped aria-label={t('import.writing')} data-testid="import-writing" />}
        {step.kind === 'done' && <Alert color="teal" variant="light" data-testid="import-done">{t('import.done', { created: step.created, updated: step.updated })}</Alert>}
        {step.kind === 'cancelled' && <Alert color="gray" variant="light" data-testid="import-cancelled">{t('import.cancelled')}</Alert>}
        {error && <Alert color="red" variant="light" data-testid="import-error">{error}</Alert>}

        <Group justify="flex-end" className="fd-dialog-actions" gap="xs">
          {step.kind === 'map' && <Button variant="default" onClick={() => setStep({ kind: 'pick' })}>{t('import.otherFile')}</Button>}
          {step.kind === 'map' && file && <Button disabled={problems.length > 0} onClick={() => void check()} data-testid="import-check">{t('import.check', { count: file.rows.length })}</Button>}
          {step.kind === 'checking' && <Button variant="default" color="red" onClick={() => (cancelled.current = true)} data-testid="import-cancel">{t('common.cancel')}</Button>}
          {step.kind === 'review' && <Button variant="default" onClick={() => void cancelReview(step)} data-testid="import-cancel">{t('common.cancel')}</Button>}
          {step.kind === 'review' && (
            <Button disabled={step.summary.toCreate + step.summary.toUpdate === 0} onClick={() => void commit(step)} data-testid="import-commit">
              {t('import.commit', { created: step.summary.toCreate, updated: step.summary.toUpdate })}
            </Button>
          )}
          {(step.kind === 'done' || step.kind === 'cancelled') && <Button onClick={close} data-testid="import-close">{t('import.close')}</Button>}
        </Group>
      </Stack>
    </Modal>
  );
}

/** A row's problem; a phone names the phone rule that refused it ("“0151 1”: this number has 5 digits after +49; …"). */
function rowIssueText(i18n: I18n, issue: RowIssue): string {
  const problem = issue.params?.problem;
  if (issue.code === 'import.phone.invalid' && typeof problem === 'string' && i18n.tryT(`error.client.phone.${problem}`) !== undefined) {
    return `“${issue.params?.phone ?? ''}”: ${issueText(i18n, { code: `client.phone.${problem}`, params: issue.params })}`;
  }
  return issueText(i18n, issue);
}

function Summary({ summary }: { summary: ImportSummary }) {
  const { t } = useI18n();
  const items: [string, number, string][] = [
    ['rows', summary.rows, t('import.sum.rows')],
    ['create', summary.toCreate, t('import.sum.create')],
    ['update', summary.toUpdate, t('import.sum.update')],
    ['duplicates', summary.duplicates, t('import.sum.duplicates')],
    ['invalid', summary.invalid, t('import.sum.invalid')],
  ];
  return (
    <SimpleGrid cols={5} spacing="xs" data-testid="import-summary">
      {items.map(([key, value, label]) => (
        <Stack key={key} gap={0} align="center" data-testid={`import-sum-${key}`} data-value={value}>
          <Text fw={700} size="xl" style={{ fontVariantNumeric: 'tabular-nums' }}>{value}</Text>
          <Text size="xs" c="dimmed" ta="center">{label}</Text>
        </Stack>
      ))}
    </SimpleGrid>
  );
}
