import pino from 'pino';

/** The logger every part of Helpline receives through its constructor. */
export type Logger = pino.Logger;

export interface LoggerOptions {
  level: string;
  /** Where lines go; standard output when absent. */
  destination?: pino.DestinationStream;
}

export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level,
      base: { app: 'helpline' },
      redact: {
        paths: ['*.password', '*.secret', '*.token', 'authorization', '*.authorization'],
        censor: '[redacted]',
      },
      formatters: { level: (label) => ({ level: label }) },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination ?? pino.destination({ fd: 1, sync: false }),
  );
}

/** A logger that drops everything: for tests and benchmarks that measure, not read, the logs. */
export function createSilentLogger(): Logger {
  return pino({ level: 'silent' });
}
