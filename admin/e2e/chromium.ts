/** Debian's chromium, which the browser tests drive (the test run's preflight checks it is there). */
export const CHROMIUM_PATH = '/usr/bin/chromium';
