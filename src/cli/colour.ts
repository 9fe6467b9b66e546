import ansis from 'ansis';

/**
 * Colour on a terminal only: NO_COLOR turns it off, FORCE_COLOR on. ansis
 * alone also paints when a CI variable is set, even into a pipe or a file,
 * which leaves escape codes in saved output; hence this gate.
 */
export const COLOUR = process.env.NO_COLOR ? false
  : process.env.FORCE_COLOR !== undefined ? process.env.FORCE_COLOR !== '0' && process.env.FORCE_COLOR !== 'false'
    : process.stdout.isTTY === true;

/** Every style a no-op: `plain.bold.red('x')` is `'x'`. */
const plain: typeof ansis = new Proxy(((text: unknown) => String(text)) as unknown as typeof ansis, { get: () => plain });

/** ansis where colour is wanted, else the same styles painting nothing. */
export const colour: typeof ansis = COLOUR ? ansis : plain;
