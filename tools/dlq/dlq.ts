/**
 * `npm run dlq [-- list] [--topic T] [--json]`: the dead letters of every event topic, with their
 * errors and whether they were redriven.
 * `npm run dlq -- redrive [--topic T] [--id E]… [--offset dlqtopic:partition:offset]… [--again] [--dry-run] [--json]`:
 * puts them back on their original topic and records it (DESIGN.md "Faults").
 * Reads KAFKA_BROKERS and KAFKA_TOPIC_PREFIX; exit 0 when done, 2 on a usage error, 78 on bad configuration.
 */
import { parseArgs } from 'node:util';
import { ConsoleLogger, Logger } from '@nestjs/common';
import { loadConfigOrExit } from '@payflow/platform/config';
import { createKafka } from '@payflow/platform/messaging';
import { matchesTopic } from './dead-letters';
import { DlqEnvironment, dlqSettings } from './dlq-config';
import { listDeadLetters } from './list';
import { redrive } from './redrive';
import { deadLetterJson, listingText, outcomeJson, outcomeText } from './report';

const USAGE = `usage: npm run dlq -- [list] [--topic T] [--json]
       npm run dlq -- redrive [--topic T] [--id EVENT_ID]... [--offset DLQ_TOPIC:PARTITION:OFFSET]... [--again] [--dry-run] [--json]
`;

function usageError(message: string): never {
  process.stderr.write(`${message}\n${USAGE}`);
  process.exit(2);
}

function parseCommandLine(argv: string[]) {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        topic: { type: 'string' },
        id: { type: 'string', multiple: true },
        offset: { type: 'string', multiple: true },
        again: { type: 'boolean', default: false },
        'dry-run': { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    });
    const command = positionals[0] ?? 'list';
    if (positionals.length > 1 || !['list', 'redrive'].includes(command))
      usageError(`unknown command: ${positionals.join(' ')}`);
    if (command === 'list' && (values.id || values.offset || values.again || values['dry-run'])) {
      usageError('--id, --offset, --again and --dry-run belong to redrive');
    }
    return { command, values };
  } catch (error) {
    return usageError((error as Error).message);
  }
}

/** Logs (kafkajs' warnings) go to stderr: stdout carries only the output, one JSON object a line with --json. */
class StderrLogger extends ConsoleLogger {
  protected override printMessages(
    messages: unknown[],
    context?: string,
    logLevel?: Parameters<ConsoleLogger['printMessages']>[2],
    _stream?: 'stdout' | 'stderr',
    errorStack?: unknown,
  ): void {
    super.printMessages(messages, context, logLevel, 'stderr', errorStack);
  }
}

async function main(): Promise<void> {
  Logger.overrideLogger(new StderrLogger());
  const { command, values } = parseCommandLine(process.argv.slice(2));
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const settings = dlqSettings(loadConfigOrExit(DlqEnvironment));
  if (
    values.topic !== undefined &&
    !settings.topics.some((wire) => matchesTopic(settings, wire, values.topic!))
  ) {
    usageError(`--topic ${values.topic} is none of ${settings.topics.join(', ')} (or their .dlq topics)`);
  }
  const kafka = createKafka('payflow-dlq', settings.brokers);
  const print = (line: string): void => {
    process.stdout.write(line.endsWith('\n') ? line : `${line}\n`);
  };
  if (command === 'list') {
    const { deadLetters, redrives } = await listDeadLetters(kafka, settings, values.topic);
    if (!values.json) return print(listingText(deadLetters, redrives));
    for (const deadLetter of deadLetters)
      print(JSON.stringify(deadLetterJson(deadLetter, redrives.get(deadLetter.position))));
    return;
  }
  const outcomes = await redrive(kafka, settings, {
    topic: values.topic,
    ids: values.id,
    positions: values.offset,
    again: values.again,
    dryRun: values['dry-run'],
  });
  for (const outcome of outcomes)
    print(values.json ? JSON.stringify(outcomeJson(outcome)) : outcomeText(outcome));
  if (!values.json) {
    const count = (action: string) => outcomes.filter((outcome) => outcome.action === action).length;
    print(
      `${count('redriven')} redriven, ${count('would_redrive')} would be redriven, ${count('skipped')} skipped`,
    );
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`dlq: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
