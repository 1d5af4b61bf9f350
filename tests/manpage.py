#!/usr/bin/env python3
"""manpage: docs/cruscotto.1 and the program agree.

- `groff -ww -z -man` prints nothing on the page (no warning);
- the commands `cruscotto --help` lists are the page's COMMANDS, and each is
  in its SYNOPSIS;
- for every command, the options (and the db actions) its --help lists are
  exactly the page's: the command's own (its COMMANDS entry) plus the
  common ones (OPTIONS);
- the environment variables the program reads (cli/cli.c) are in
  ENVIRONMENT, and exit codes 0-3 in EXIT STATUS.

Environment: CRUSCOTTO_BIN, CRUSCOTTO_SOURCE_ROOT."""
import os
import re
import shutil
import subprocess
import sys


def fail(msg):
    print(f'manpage: FAIL: {msg}', file=sys.stderr)
    sys.exit(1)


root = os.environ.get('CRUSCOTTO_SOURCE_ROOT') or os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
binary = os.environ.get('CRUSCOTTO_BIN') or fail('CRUSCOTTO_BIN is not set')
page = os.path.join(root, 'docs', 'cruscotto.1')

groff = shutil.which('groff') or fail('groff is missing (./deps.sh --test installs groff-base)')
r = subprocess.run([groff, '-ww', '-z', '-man', page], capture_output=True, text=True)
if r.returncode != 0 or r.stdout or r.stderr:
    fail(f'groff -ww -z -man {page}: exit {r.returncode}: {(r.stdout + r.stderr).strip()}')


def run(*args):
    r = subprocess.run([binary, *args], capture_output=True, text=True)
    if r.returncode != 0:
        fail(f'cruscotto {" ".join(args)}: exit {r.returncode}')
    return r.stdout


OPT = re.compile(r'(?<![\w-])(--?[a-z][a-z-]*)')

# the program's side
top = run('--help')
commands = re.findall(r'^  ([a-z]+) ', top.split('Commands:', 1)[1], re.M)
if len(commands) < 8:
    fail(f'cruscotto --help lists only {commands}')
help_opts = {}
for cmd in commands:
    opts = set()
    for line in run(cmd, '--help').splitlines():
        # the option column: 19 characters after two blanks
        if line.startswith('  ') and line[2:3].strip():
            head = line[2:21]
            found = OPT.findall(head)
            opts |= set(found) if found else {head.split()[0]}
    help_opts[cmd] = opts

# the page's side
text = open(page, encoding='utf-8').read().replace('\\-', '-')
sections = dict(re.findall(r'^\.SH ([A-Z ]+)\n(.*?)(?=^\.SH |\Z)', text, re.M | re.S))
for name in ('NAME', 'SYNOPSIS', 'DESCRIPTION', 'COMMANDS', 'OPTIONS', 'ENVIRONMENT',
             'EXIT STATUS', 'FILES'):
    if name not in sections:
        fail(f'the page has no {name} section')


def tp_heads(body):
    return re.findall(r'^\.TP\n(.*)$', body, re.M)


def words(head):
    # ".BR db \" status\" | stop | destroy" -> ['db', 'status', 'stop', 'destroy']
    head = re.sub(r'^\.[A-Z]+ ?', '', head)
    return re.findall(r'-{0,2}[a-z][a-z-]*', head)


common = set()
for head in tp_heads(sections['OPTIONS'].split('Without a command', 1)[0]):
    common |= set(OPT.findall(head))
page_opts = {}
current, depth, prev = None, 0, ''
for line in sections['COMMANDS'].splitlines():
    if line == '.RS':
        depth += 1
    elif line == '.RE':
        depth -= 1
    elif prev == '.TP' and depth == 0:
        # a command's entry: its name (and, for db, its actions)
        w = words(line)
        current = w[0] if w and w[0] in commands else None
        if current:
            page_opts[current] = set(common) | (set(w[1:]) if current == 'db' else set())
    elif prev == '.TP' and depth == 1 and current:
        page_opts[current] |= set(OPT.findall(line))
    prev = line

if sorted(page_opts) != sorted(commands):
    fail(f'commands: --help lists {sorted(commands)}, the page {sorted(page_opts)}')
synopsis = sections['SYNOPSIS']
for cmd in commands:
    if not re.search(rf'^\.B cruscotto {cmd}$', synopsis, re.M):
        fail(f'{cmd} is not in the SYNOPSIS')
    if help_opts[cmd] != page_opts[cmd]:
        fail(f'{cmd}: --help lists {sorted(help_opts[cmd])}, the page {sorted(page_opts[cmd])}'
             f' (only in --help: {sorted(help_opts[cmd] - page_opts[cmd])},'
             f' only in the page: {sorted(page_opts[cmd] - help_opts[cmd])})')

# the environment the program reads
cli = open(os.path.join(root, 'cli', 'cli.c'), encoding='utf-8').read()
env = set(re.findall(r'getenv\("([A-Z_]+)"\)', cli))
m = re.search(r'vars\[\] = \{(.*?)\}', cli, re.S)
env |= set(re.findall(r'"([A-Z_]+)"', m.group(1))) if m else set()
if 'PGHOST' not in env:
    fail('could not read the environment variables of cli/cli.c')
for var in sorted(env):
    if not re.search(rf'\b{var}\b', sections['ENVIRONMENT']):
        fail(f'{var} is read by the program but not in ENVIRONMENT')
for code in '0123':
    if not re.search(rf'^\.B {code}$', sections['EXIT STATUS'], re.M):
        fail(f'exit code {code} is not in EXIT STATUS')
print(f'manpage: ok: {len(commands)} commands, '
      f'{sum(len(v) for v in help_opts.values())} command options agree; groff is silent')
