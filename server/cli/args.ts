export interface Args {
  positional: string[];
  flags: Record<string, string>;
}

/** Splits `serve --port 8080 --seed-demo --db=x.db` into positionals and flags (a bare flag is "true"). */
export function parseArgs(argv: string[]): Args {
  const positional: string[] = [];
  const flags: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    if (eq > 0) flags[arg.slice(2, eq)] = arg.slice(eq + 1);
    else if (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('--')) flags[arg.slice(2)] = argv[++i]!;
    else flags[arg.slice(2)] = 'true';
  }
  return { positional, flags };
}

/** Removes and returns the named command-specific flags, leaving the configuration flags. */
export function takeFlags(flags: Record<string, string>, names: string[]): Record<string, string | undefined> {
  const taken: Record<string, string | undefined> = {};
  for (const name of names) {
    taken[name] = flags[name];
    delete flags[name];
  }
  return taken;
}
