#!/usr/bin/env python3
"""Benchmark: cruscotto at scale, each step beside its floor, in one run on one machine.

Not part of the test suite (timings do not belong in tests). Run it by hand, as root or as
any user, after `meson setup build && ninja -C build`:

    nice python3 tests/bench.py                      # 10,000 agreements, growth from 1,000
    nice python3 tests/bench.py --agreements 1000 --growth-from 0

Dataset: ../shared/bench/gen_scale.py (policy BIG, period 2025-Q4; the folder is looked for
beside the repository and above it, or named with --shared) when it is present, otherwise
the bundled demo copied into one policy of about N agreements (policy QUA, period 2018-Q4;
--demo chooses it even when the generator is there).

Every step runs a cruscotto command on an embedded instance of its own (a state folder under
var/bench-N, created afresh and destroyed at the end) and is measured against its floor on
the same machine and the same instance kind. import and report JSON run --rounds times (3),
each round beside its floor, and their medians are compared:
  import           against raw COPY of the same files into text tables (one transaction,
                   no types, no keys);
  report JSON      against one grouped scan per fact table (typed copies of those tables,
                   one as-of date) and against peer_pandas.py's whole run (when numpy,
                   pandas and scipy are importable);
  report PDF+JSON  scorecards per second and CPU use (user+sys over wall), and its time
                   per scorecard against libharu alone: one PDF in ten, its text
                   (pdftotext) set again by libharu on as many pages in the same embedded
                   fonts, with nothing of cruscotto's (tests/pdf_floor.c, built beside the
                   tests);
  publish          against report PDF+JSON; bytes per scorecard;
  serve            requests/s and p99 of the policy JSON and PDF (wrk -t2 -c32 -d10s,
                   with Accept-Encoding: gzip as browsers send it) against nginx serving
                   the same bytes from files (gzip_static: the compressed JSON from .gz);
  peak RSS of every command, and growth from --growth-from to --agreements agreements.

Targets: import <= 3x raw COPY; report JSON <= 2x the scan floor and faster than the pandas
peer; growth <= 1.2x the growth of the data (12x for 10x); 10,001 PDF+JSON scorecards in
<= 120 s (83.3/s) with CPU use above 150% on 2 cores; publish <= 1.5x report; serve >= 0.5x
nginx with p99 < 10 ms; peak RSS <= 256 MiB. Exit 0 when every target is met, 1 when one is
not (or could not be measured) or a step failed, 2 on a usage or setup error. Servers, nginx
and instances are stopped on every exit, Ctrl-C and SIGTERM included.

Bench-only dependencies (Debian): psql (postgresql-client), wrk, nginx, pdftotext
(poppler-utils), python3-numpy, python3-pandas, python3-scipy; --install-deps installs the
missing ones with apt-get."""
import argparse
import concurrent.futures
import csv
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEMO = os.path.join(ROOT, 'data', 'demo')
APT_PACKAGES = {'psql': 'postgresql-client', 'wrk': 'wrk', 'nginx': 'nginx',
                'pdftotext': 'poppler-utils',
                'numpy': 'python3-numpy', 'pandas': 'python3-pandas', 'scipy': 'python3-scipy'}
PYTHONS = [sys.executable, '/usr/bin/python3']

# targets
IMPORT_MAX = 3.0          # x raw COPY
REPORT_MAX = 2.0          # x grouped scans
GROWTH_SLACK = 1.2        # growth <= 1.2 x (agreements ratio): 12x for 10x
CARDS_PER_S = 10001 / 120.0
CPU_MIN = 1.5
PUBLISH_MAX = 1.5         # x report PDF+JSON
SERVE_MIN = 0.5           # x nginx
P99_MAX_MS = 10.0
RSS_MAX_MIB = 256.0


class BenchError(Exception):
    """A step could not run: the message says which and why."""


class Stop(Exception):
    """SIGTERM or SIGHUP: unwind so that every server is stopped."""


# ---------------------------------------------------------------------------------------
# the dataset

POLICY_FILES = {'policies.csv', 'neighbourhoods.csv', 'targets.csv', 'weights.csv'}
# columns holding a code that belongs to one agreement ("QUA-07", "QUA-07-P02")
AGREEMENT_CODES = {'agreement_code', 'project_code', 'meeting_code', 'survey_code'}
PER_COPY = {'person', 'respondent', 'signatory_code'}


def scaled(value, column, k, name):
    if not value or k == 0:
        return value
    if column in AGREEMENT_CODES or (column == 'code' and value.startswith('QUA-')):
        return 'QUA%d-%s' % (k, value[4:])
    if column in PER_COPY or (column == 'code' and name == 'signatories.csv'):
        return '%s-%d' % (value, k)
    return value


def write_scaled_demo(out, scale):
    """The demo (25 agreements) copied `scale` times into its one policy, every
    agreement-level code, person, respondent and signatory made distinct per copy."""
    for name in sorted(os.listdir(DEMO)):
        if not name.endswith('.csv'):
            continue
        with open(os.path.join(DEMO, name), newline='', encoding='utf-8') as f:
            rows = list(csv.DictReader(f))
            fields = list(rows[0].keys()) if rows else []
        with open(os.path.join(out, name), 'w', newline='', encoding='utf-8') as f:
            w = csv.DictWriter(f, fieldnames=fields, lineterminator='\n')
            w.writeheader()
            for k in range(1 if name in POLICY_FILES else scale):
                for row in rows:
                    # the policy's own records (and the neighbourhoods') once
                    if (name in ('org_events.csv', 'evidence.csv') and not row['agreement_code']
                            and k):
                        continue
                    w.writerow({c: scaled(v, c, k, name) for c, v in row.items()})


def find_shared(given):
    if given:
        if not os.path.isfile(os.path.join(given, 'gen_scale.py')):
            raise BenchError('--shared %s: no gen_scale.py there' % given)
        return os.path.abspath(given)
    d = os.path.dirname(ROOT)
    while True:
        cand = os.path.join(d, 'shared', 'bench')
        if os.path.isfile(os.path.join(cand, 'gen_scale.py')):
            return cand
        if os.path.dirname(d) == d:
            return None
        d = os.path.dirname(d)


def python_with(modules):
    """An interpreter that imports every module of `modules`, or None."""
    for py in PYTHONS:
        if py and os.path.exists(py) and subprocess.run(
                [py, '-c', 'import ' + ', '.join(modules)], stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL).returncode == 0:
            return py
    return None


class Dataset:
    def __init__(self, folder, policy, period, source):
        self.folder, self.policy, self.period, self.source = folder, policy, period, source
        self.rows = 0
        self.bytes = 0
        for name in os.listdir(folder):
            if name.endswith('.csv'):
                path = os.path.join(folder, name)
                self.bytes += os.path.getsize(path)
                with open(path, 'rb') as f:
                    self.rows += max(sum(1 for _ in f) - 1, 0)
        with open(os.path.join(folder, 'agreements.csv'), newline='', encoding='utf-8') as f:
            self.agreements = sum(1 for r in csv.DictReader(f) if r['policy_code'] == policy)

    @property
    def asof(self):
        year, q = int(self.period[:4]), int(self.period[-1])
        return '%04d-%s' % (year, ['03-31', '06-30', '09-30', '12-31'][q - 1])


def make_dataset(folder, agreements, generator):
    """gen_scale.py's dataset when `generator` is (python, script), else the demo scaled."""
    shutil.rmtree(folder, ignore_errors=True)  # a --work folder's previous run
    os.makedirs(folder)
    if generator:
        proc = subprocess.run(list(generator) + [folder, '--agreements', str(agreements)],
                              stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
        if proc.returncode:
            raise BenchError('gen_scale.py failed: %s' % last_line(proc.stderr))
        return Dataset(folder, 'BIG', '2025-Q4', 'gen_scale.py')
    write_scaled_demo(folder, max(1, round(agreements / 25)))
    return Dataset(folder, 'QUA', '2018-Q4', 'the demo scaled')


# ---------------------------------------------------------------------------------------
# running and measuring

def last_line(text):
    lines = [l for l in (text or '').strip().splitlines() if l.strip()]
    return lines[-1] if lines else '(no message)'


def child_env():
    """The environment without libpq's settings, so that commands use the embedded
    instance, and the numeric libraries unhampered (see OPENBLAS_CORETYPE)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith('PG')}
    env.pop('OPENBLAS_CORETYPE', None)
    env.pop('OPENBLAS_L2_SIZE', None)
    return env


class Measure:
    def __init__(self, wall, user, sys_, rss_kib):
        self.wall, self.cpu, self.rss = wall, user + sys_, rss_kib / 1024.0

    @property
    def cpu_use(self):
        return self.cpu / self.wall if self.wall > 0 else 0.0


def measure(label, argv, stdout=subprocess.DEVNULL):
    """Runs argv to its end: wall time, user+sys time and peak RSS of that child alone
    (wait4), or BenchError with its last line of stderr."""
    with tempfile.TemporaryFile(mode='w+') as err:
        start = time.monotonic()
        child = subprocess.Popen(argv, stdout=stdout, stderr=err, env=child_env())
        try:
            _, status, usage = os.wait4(child.pid, 0)
        except BaseException:
            child.kill()
            child.wait()
            raise
        child.returncode = os.waitstatus_to_exitcode(status)
        wall = time.monotonic() - start
        if child.returncode != 0:
            err.seek(0)
            raise BenchError('%s failed (exit %d): %s\n  command: %s' % (
                label, child.returncode, last_line(err.read()), ' '.join(argv)))
    m = Measure(wall, usage.ru_utime, usage.ru_stime, usage.ru_maxrss)
    print('  %-30s %9.2f s  CPU %4.0f%%  peak RSS %7.1f MiB' % (
        label, m.wall, 100 * m.cpu_use, m.rss), flush=True)
    return m


def median(measures):
    """The measure of median wall time (the lower middle one of an even count), its peak RSS
    the largest of all."""
    ordered = sorted(measures, key=lambda m: m.wall)
    mid = ordered[(len(ordered) - 1) // 2]
    return Measure(mid.wall, mid.cpu, 0.0, 1024.0 * max(m.rss for m in measures))


def run_quiet(argv, what):
    proc = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          env=child_env())
    if proc.returncode:
        raise BenchError('%s failed (exit %d): %s' % (what, proc.returncode,
                                                      last_line(proc.stderr or proc.stdout)))
    return proc.stdout


class Instance:
    """One embedded instance (state folder) and the psql that reaches it."""

    def __init__(self, binary, state, psql):
        self.bin, self.state, self.psql = binary, state, psql
        self.created = False

    def cz(self, *args):
        return [self.bin] + list(args) + ['--state-dir', self.state, '-q']

    def fresh(self):
        run_quiet([self.bin, 'db', 'destroy', '--state-dir', self.state], 'db destroy')
        self.created = True
        run_quiet(self.cz('init'), 'cruscotto init')

    def conninfo(self, dbname):
        out = run_quiet([self.bin, 'db', 'status', '--state-dir', self.state], 'db status')
        m = re.search(r'^conninfo: (.*)$', out, re.M)
        if not m:
            raise BenchError('db status names no conninfo: %s' % out.strip())
        return re.sub(r'dbname=\S+', 'dbname=' + dbname, m.group(1))

    def sql(self, dbname, what, command=None, path=None):
        """Runs one SQL command (-c) or a script file (-f) with psql; its output."""
        argv = [self.psql, '-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-d',
                self.conninfo(dbname)]
        return run_quiet(argv + (['-c', command] if command else ['-f', path]), what)

    def finish(self, keep, later=False):
        """Stops the instance and removes its folder, or (`later`) leaves the folder to
        remove_later."""
        if not self.created:
            return
        verb = 'stop' if keep or later else 'destroy'
        subprocess.run([self.bin, 'db', verb, '--state-dir', self.state],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if later and not keep:
            remove_later(self.state)
        elif not keep:
            shutil.rmtree(self.state, ignore_errors=True)


# Folders the run wrote, removed once every step is measured. On a filesystem without a
# journal (ext4 here), creating a file searches past every inode freed in the last minute
# (six when the inode table is not yet written back), so thousands of files deleted before
# a timed step would slow its own files down: a cost of the benchmark, not of cruscotto.
LATER = []


def remove_later(path):
    LATER.append(path)


# ---------------------------------------------------------------------------------------
# the floors: raw COPY, grouped scans, libharu alone

# The PDF floor sets again one scorecard in this many (pdftotext takes about 25 ms a PDF,
# untimed: a tenth keeps the benchmark's own work small and still counts a thousand).
FLOOR_SAMPLE = 10


def pdf_floor_row(table, args, tools, out, work, full, cards):
    """The PDF step's time per scorecard against libharu alone: one PDF of the report's
    in FLOOR_SAMPLE (by path), turned to text by pdftotext, untimed, then set again by
    tests/pdf_floor.c on as many threads as processors: the same pages and text in the
    same embedded fonts, with no layout, table, rule or chart."""
    step = '  PDF vs libharu alone'
    floor_bin = os.path.join(os.path.dirname(os.path.abspath(args.bin)), 'tests', 'pdf_floor')
    if not tools.get('pdftotext') or not os.access(floor_bin, os.X_OK):
        table.add(step, '', 'needs apt-get install poppler-utils' if not tools.get('pdftotext')
                  else '%s is not built (ninja -C build)' % floor_bin, '', '', '',
                  'not measured')
        return
    pdfs = sorted(os.path.join(d, f) for d, _, names in os.walk(out)
                  for f in names if f.endswith('.pdf'))[::FLOOR_SAMPLE]
    texts_dir, pdf_dir = os.path.join(work, 'floor-text'), os.path.join(work, 'floor-pdf')
    for d in (texts_dir, pdf_dir):
        os.makedirs(d)
        remove_later(d)

    def to_text(k):
        # numbered: an agreement and a neighbourhood may share a code
        path = os.path.join(texts_dir, '%06d.txt' % k)
        run_quiet([tools['pdftotext'], '-q', '-enc', 'UTF-8', pdfs[k], path], 'pdftotext')
        return path

    threads = os.cpu_count() or 2
    with concurrent.futures.ThreadPoolExecutor(threads) as pool:
        texts = list(pool.map(to_text, range(len(pdfs))))
    floor = measure('libharu alone (floor)', [floor_bin, pdf_dir, str(threads)] + texts)
    ours, alone = full.wall / cards, floor.wall / len(texts)
    table.add(step, '%.2f ms a card (queries and JSON too)' % (1e3 * ours),
              'libharu alone %.2f ms a card (%d set again)' % (1e3 * alone, len(texts)),
              x(ours / alone))

# the columns the scans read, for files a dataset may lack
FACT_COLUMNS = {
    'agreements': ['code', 'policy_code', 'title', 'lab_started_on'],
    'meetings': ['code', 'agreement_code', 'held_on', 'kind', 'hours'],
    'attendance': ['meeting_code', 'person', 'role'],
    'signatures': ['agreement_code', 'signatory_code', 'signed_on'],
    'projects': ['code', 'agreement_code', 'kind', 'title', 'defined_on', 'completed_on'],
    'finance': ['project_code', 'booked_on', 'stage', 'amount_eur'],
    'milestones': ['code', 'project_code', 'title', 'due_on', 'achieved_on'],
    'resources': ['agreement_code', 'recorded_on', 'kind', 'quantity'],
    'surveys': ['code', 'policy_code', 'agreement_code', 'instrument', 'wave', 'fielded_on'],
    'responses': ['survey_code', 'respondent', 'item', 'score'],
    'org_events': ['policy_code', 'agreement_code', 'occurred_on', 'kind', 'department',
                   'quantity'],
}


def ident(name):
    return '"%s"' % name.replace('"', '""')


def raw_copy_script(data, path):
    """Every CSV file of the folder COPYed into a table of text columns, in one
    transaction (psql -1): the floor of import."""
    lines = ['CREATE SCHEMA raw;']
    present = set()
    for name in sorted(os.listdir(data)):
        if not name.endswith('.csv'):
            continue
        table = name[:-4]
        present.add(table)
        with open(os.path.join(data, name), newline='', encoding='utf-8') as f:
            header = next(csv.reader(f), [])
        lines.append('CREATE TABLE raw.%s (%s);' % (
            ident(table), ', '.join('%s text' % ident(c) for c in header)))
        lines.append("\\copy raw.%s FROM '%s' WITH (FORMAT csv, HEADER true)" % (
            ident(table), os.path.join(data, name).replace("'", "''")))
    for table, cols in FACT_COLUMNS.items():
        if table not in present:
            lines.append('CREATE TABLE raw.%s (%s);' % (
                ident(table), ', '.join('%s text' % ident(c) for c in cols)))
    with open(path, 'w') as f:
        f.write('\n'.join(lines) + '\n')


# Typed copies of the fact tables, keyed by code like the engine's own tables (not timed).
TYPED_SQL = r"""
CREATE SCHEMA typed;
CREATE TABLE typed.agreement AS
  SELECT code, policy_code, lab_started_on::date AS lab_started_on FROM raw.agreements;
CREATE TABLE typed.meeting AS
  SELECT code, agreement_code, held_on::date AS held_on, kind, hours::numeric AS hours
  FROM raw.meetings;
CREATE TABLE typed.attendance AS SELECT meeting_code, person, role FROM raw.attendance;
CREATE TABLE typed.signature AS
  SELECT agreement_code, signatory_code, signed_on::date AS signed_on FROM raw.signatures;
CREATE TABLE typed.project AS SELECT code, agreement_code FROM raw.projects;
CREATE TABLE typed.finance AS
  SELECT project_code, booked_on::date AS booked_on, stage, amount_eur::numeric AS amount_eur
  FROM raw.finance;
CREATE TABLE typed.milestone AS
  SELECT code, project_code, due_on::date AS due_on, achieved_on::date AS achieved_on
  FROM raw.milestones;
CREATE TABLE typed.resource AS
  SELECT agreement_code, recorded_on::date AS recorded_on, kind, quantity::numeric AS quantity
  FROM raw.resources;
CREATE TABLE typed.survey AS
  SELECT code, policy_code, agreement_code, instrument, wave, fielded_on::date AS fielded_on
  FROM raw.surveys;
CREATE TABLE typed.response AS
  SELECT survey_code, respondent, item, score::integer AS score FROM raw.responses;
CREATE TABLE typed.org_event AS
  SELECT policy_code, agreement_code, occurred_on::date AS occurred_on, kind,
         coalesce(quantity::integer, 1) AS quantity
  FROM raw.org_events;
ALTER TABLE typed.agreement ADD PRIMARY KEY (code);
ALTER TABLE typed.meeting ADD PRIMARY KEY (code);
ALTER TABLE typed.project ADD PRIMARY KEY (code);
ALTER TABLE typed.survey ADD PRIMARY KEY (code);
VACUUM ANALYZE;
"""

# One grouped scan per fact table, per agreement of the policy, as of one date: what the
# report's numbers need at the least. psql variables: policy, asof.
SCAN_SQL = r"""
BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;
-- meetings: count and hours
SELECT m.agreement_code, count(*), sum(m.hours)
FROM typed.meeting m JOIN typed.agreement a ON a.code = m.agreement_code
WHERE a.policy_code = :'policy' AND m.held_on <= :'asof'::date
GROUP BY m.agreement_code;
-- distinct non-staff persons per agreement and for the policy
SELECT m.agreement_code, count(DISTINCT t.person)
FROM typed.attendance t JOIN typed.meeting m ON m.code = t.meeting_code
  JOIN typed.agreement a ON a.code = m.agreement_code
WHERE a.policy_code = :'policy' AND m.held_on <= :'asof'::date AND t.role <> 'staff'
GROUP BY GROUPING SETS ((m.agreement_code), ());
-- signatures
SELECT s.agreement_code, count(*)
FROM typed.signature s JOIN typed.agreement a ON a.code = s.agreement_code
WHERE a.policy_code = :'policy' AND s.signed_on <= :'asof'::date
GROUP BY s.agreement_code;
-- finance by stage
SELECT p.agreement_code, f.stage, sum(f.amount_eur)
FROM typed.finance f JOIN typed.project p ON p.code = f.project_code
  JOIN typed.agreement a ON a.code = p.agreement_code
WHERE a.policy_code = :'policy' AND f.booked_on <= :'asof'::date
GROUP BY p.agreement_code, f.stage;
-- milestones due and achieved
SELECT p.agreement_code, count(*) FILTER (WHERE ms.due_on <= :'asof'::date),
       count(*) FILTER (WHERE ms.achieved_on <= :'asof'::date)
FROM typed.milestone ms JOIN typed.project p ON p.code = ms.project_code
  JOIN typed.agreement a ON a.code = p.agreement_code
WHERE a.policy_code = :'policy'
GROUP BY p.agreement_code;
-- resources by kind
SELECT r.agreement_code, r.kind, sum(r.quantity)
FROM typed.resource r JOIN typed.agreement a ON a.code = r.agreement_code
WHERE a.policy_code = :'policy' AND r.recorded_on <= :'asof'::date
GROUP BY r.agreement_code, r.kind;
-- respondent means per agreement, instrument and wave: n, sum, sum of squares
SELECT s.agreement_code, s.instrument, s.wave, count(*), sum(r.m), sum(r.m * r.m)
FROM (SELECT survey_code, respondent, avg(score::float8) AS m FROM typed.response
      WHERE score IS NOT NULL GROUP BY survey_code, respondent) r
  JOIN typed.survey s ON s.code = r.survey_code
WHERE s.policy_code = :'policy' AND s.fielded_on <= :'asof'::date
GROUP BY s.agreement_code, s.instrument, s.wave;
-- org events by kind
SELECT e.agreement_code, e.kind, sum(e.quantity)
FROM typed.org_event e
WHERE e.policy_code = :'policy' AND e.occurred_on <= :'asof'::date
GROUP BY e.agreement_code, e.kind;
COMMIT;
"""


# ---------------------------------------------------------------------------------------
# serving: cruscotto serve, nginx, wrk

def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def wait_for_line(path, pattern, proc, what, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with open(path, errors='replace') as f:
            m = re.search(pattern, f.read())
        if m:
            return m
        if proc.poll() is not None:
            with open(path, errors='replace') as f:
                raise BenchError('%s exited (code %d): %s' % (what, proc.returncode,
                                                               last_line(f.read())))
        time.sleep(0.1)
    raise BenchError('%s did not start within %d s (see %s)' % (what, timeout, path))


def wait_for_port(port, proc, what, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise BenchError('%s exited (code %d)' % (what, proc.returncode))
        try:
            with socket.create_connection(('127.0.0.1', port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise BenchError('%s did not listen on port %d within %d s' % (what, port, timeout))


def fetch(url, gzip=False):
    """The body's bytes as sent (compressed when `gzip` asks for it and the server does)."""
    req = urllib.request.Request(url, headers={'Accept-Encoding': 'gzip'} if gzip else {})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.read()
    except (OSError, ValueError) as e:  # URLError and HTTPError are OSErrors
        raise BenchError('GET %s: %s' % (url, e))


NGINX_CONF = """worker_processes 2;
pid {tmp}/nginx.pid;
daemon off;
events {{ worker_connections 1024; }}
http {{
  types {{ application/json json; application/pdf pdf; }}
  default_type application/octet-stream;
  access_log {tmp}/access.log;
  client_body_temp_path {tmp}/body;
  proxy_temp_path {tmp}/proxy;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  gzip_static on;
  server {{
    listen 127.0.0.1:{port};
    root {tmp}/www;
  }}
}}
"""


def start_nginx(nginx, tmp, files):
    """nginx on a loopback port serving `files` ({name: bytes}) from tmp/www."""
    os.chmod(tmp, 0o755)  # workers run as an unprivileged account when started by root
    os.makedirs(os.path.join(tmp, 'www'), mode=0o755)
    for name, body in files.items():
        with open(os.path.join(tmp, 'www', name), 'wb') as f:
            f.write(body)
        os.chmod(os.path.join(tmp, 'www', name), 0o644)
    port = free_port()
    conf = os.path.join(tmp, 'nginx.conf')
    with open(conf, 'w') as f:
        f.write(NGINX_CONF.format(tmp=tmp, port=port))
    log = open(os.path.join(tmp, 'error.log'), 'w')
    proc = subprocess.Popen([nginx, '-p', tmp, '-e', os.path.join(tmp, 'error.log'), '-c', conf],
                            stdout=log, stderr=log, env=child_env())
    log.close()
    try:
        wait_for_port(port, proc, 'nginx')
    except BenchError as e:
        stop(proc)
        with open(os.path.join(tmp, 'error.log'), errors='replace') as f:
            raise BenchError('%s: %s' % (e, last_line(f.read())))
    return proc, port


def stop(proc, sig=signal.SIGTERM):
    """Stops a child of ours and returns its rusage (or None)."""
    if proc is None or proc.returncode is not None:
        return None
    try:
        proc.send_signal(sig)
    except ProcessLookupError:
        pass
    for _ in range(100):
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            proc.returncode = os.waitstatus_to_exitcode(status)
            return usage
        time.sleep(0.1)
    proc.kill()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return usage


UNITS = {'us': 1e-3, 'ms': 1.0, 's': 1e3, 'm': 60e3}


def wrk(wrk_bin, url, duration):
    """requests/s and p99 (ms) of `wrk -t2 -c32 -dNs --latency url`, asking for gzip as
    browsers and HTTP libraries do."""
    out = run_quiet([wrk_bin, '-t2', '-c32', '-d%ds' % duration, '--latency',
                     '-H', 'Accept-Encoding: gzip', url], 'wrk ' + url)
    rps = re.search(r'^Requests/sec:\s*([\d.]+)', out, re.M)
    p99 = re.search(r'^\s*99%\s+([\d.]+)(us|ms|s|m)\b', out, re.M)
    if not rps or not p99:
        raise BenchError('cannot read wrk output for %s:\n%s' % (url, out))
    bad = re.search(r'Non-2xx or 3xx responses:\s*(\d+)', out)
    if bad:
        raise BenchError('%s answered %s non-2xx responses under load' % (url, bad.group(1)))
    errors = re.search(r'Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)',
                       out)
    note = ''
    if errors and any(int(x) for x in errors.groups()):
        note = 'socket errors: ' + errors.group(0).split(': ', 1)[1]
    return float(rps.group(1)), float(p99.group(1)) * UNITS[p99.group(2)], note


# ---------------------------------------------------------------------------------------
# the table

class Table:
    def __init__(self):
        self.rows = []  # (step, figure, floor, ratio, target, rss, result)

    def add(self, step, figure, floor='', ratio='', target='', rss='', ok=None):
        result = '' if ok is None else ('ok' if ok is True else
                                         'FAIL' if ok is False else ok)
        self.rows.append((step, figure, floor, ratio, target, rss, result))

    def failed(self):
        return [r[0] for r in self.rows if r[6] in ('FAIL', 'not measured')]

    def print(self, out=sys.stdout):
        head = ('step', 'cruscotto', 'floor', 'ratio', 'target', 'peak RSS', 'result')
        rows = [head] + self.rows
        widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
        for n, r in enumerate(rows):
            print('  '.join(c.ljust(w) for c, w in zip(r, widths)).rstrip(), file=out)
            if n == 0:
                print('  '.join('-' * w for w in widths), file=out)


def mib(m):
    return '%.0f MiB' % m.rss


def x(r):
    return '%.2f×' % r


# ---------------------------------------------------------------------------------------
# the run

def machine():
    model = ''
    try:
        with open('/proc/cpuinfo') as f:
            m = re.search(r'^model name\s*:\s*(.*)$', f.read(), re.M)
            model = m.group(1).strip() if m else ''
    except OSError:
        pass
    mem = os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30
    return '%d cores%s, %.0f GiB' % (os.cpu_count() or 0, ' (%s)' % model if model else '', mem)


def load():
    """The 1-minute load average, with a warning when other work shares the cores: the
    ratios of one run stay comparable, its absolute times do not."""
    avg = os.getloadavg()[0]
    busy = avg > 0.5 * (os.cpu_count() or 1)
    return 'load average %.1f%s' % (avg, ' (the machine is busy: times are inflated)'
                                     if busy else '')


def scorecards_in(out, ds):
    """The scorecards a report wrote (the policy's, the agreements', the
    neighbourhoods') and the bytes of their JSON and PDF."""
    base = os.path.join(out, ds.policy, ds.period)
    json_b = os.path.getsize(os.path.join(base, 'policy.json')) if os.path.exists(
        os.path.join(base, 'policy.json')) else 0
    pdf_b = os.path.getsize(os.path.join(base, 'policy.pdf')) if os.path.exists(
        os.path.join(base, 'policy.pdf')) else 0
    cards = 1
    for sub in ('agreements', 'neighbourhoods'):
        folder = os.path.join(base, sub)
        for n in os.listdir(folder) if os.path.isdir(folder) else []:
            if n.endswith('.json'):
                json_b += os.path.getsize(os.path.join(folder, n))
                cards += 1
            elif n.endswith('.pdf'):
                pdf_b += os.path.getsize(os.path.join(folder, n))
    return cards, json_b, pdf_b


def growth_run(args, tools, work, generator, size):
    """import and report JSON at the smaller size, on an instance of their own."""
    print('growth base: %d agreements' % size, flush=True)
    ds = make_dataset(os.path.join(work, 'data-%d' % size), size, generator)
    inst = Instance(args.bin, os.path.join(ROOT, 'var', 'bench-%d' % size), tools['psql'])
    try:
        inst.fresh()
        imp = measure('import', inst.cz('import', ds.folder))
        rep = measure('report --format json', inst.cz(
            'report', '--policy', ds.policy, '--period', ds.period, '--out',
            os.path.join(work, 'out-%d' % size), '--format', 'json'))
    finally:
        inst.finish(args.keep, later=True)
    remove_later(ds.folder)
    remove_later(os.path.join(work, 'out-%d' % size))
    return ds, imp, rep


def main_run(args, tools, work, generator, peer, table, procs):
    ds = make_dataset(os.path.join(work, 'data'), args.agreements, generator)
    print('dataset: %s, %d agreements in policy %s, period %s: %d rows, %.0f MB of CSV'
          % (ds.source, ds.agreements, ds.policy, ds.period, ds.rows, ds.bytes / 1e6),
          flush=True)
    inst = Instance(args.bin, os.path.join(ROOT, 'var', 'bench-%d' % args.agreements),
                    tools['psql'])
    procs['instance'] = inst
    inst.fresh()
    res = {'dataset': ds}

    # import against raw COPY, then report JSON against the grouped scans: each measured
    # --rounds times, alternating with its floor, and the medians compared, as one run of
    # either swings by a quarter on a shared virtual machine
    rounds = args.rounds
    script = os.path.join(work, 'raw_copy.sql')
    raw_copy_script(ds.folder, script)
    floors, imps = [], []
    for k in range(1, rounds + 1):
        tag = ' %d/%d' % (k, rounds) if rounds > 1 else ''
        inst.sql('cruscotto', 'CREATE DATABASE', command='CREATE DATABASE bench_floor')
        floors.append(measure('raw COPY (floor)' + tag, [
            tools['psql'], '-X', '-q', '-1', '-v', 'ON_ERROR_STOP=1', '-d',
            inst.conninfo('bench_floor'), '-f', script]))
        if k < rounds:
            # an earlier round imports into a database of its own, dropped after it
            inst.sql('cruscotto', 'DROP DATABASE', command='DROP DATABASE bench_floor')
            inst.sql('cruscotto', 'CREATE DATABASE', command='CREATE DATABASE bench_import')
            scratch = inst.conninfo('bench_import')
            run_quiet([args.bin, 'init', '--db', scratch, '-q'], 'cruscotto init')
            imps.append(measure('import' + tag, [args.bin, 'import', ds.folder, '--db',
                                                 scratch, '-q']))
            inst.sql('cruscotto', 'DROP DATABASE', command='DROP DATABASE bench_import')
        else:
            imps.append(measure('import' + tag, inst.cz('import', ds.folder)))
    floor_copy, imp = median(floors), median(imps)
    res['import'] = imp
    r = imp.wall / floor_copy.wall
    table.add('import', '%.2f s' % imp.wall, 'raw COPY %.2f s' % floor_copy.wall, x(r),
              '≤ %g×' % IMPORT_MAX, mib(imp), r <= IMPORT_MAX)

    # report JSON against the grouped scans and the pandas peer
    typed = os.path.join(work, 'typed.sql')
    with open(typed, 'w') as f:
        f.write(TYPED_SQL)
    inst.sql('bench_floor', 'typed copies of the fact tables', path=typed)
    scans = os.path.join(work, 'scans.sql')
    with open(scans, 'w') as f:
        f.write(SCAN_SQL)
    scan_floors = [measure('grouped scans (floor)' + (' %d/%d' % (k, rounds) if rounds > 1
                                                      else ''), [
        tools['psql'], '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-v', 'policy=' + ds.policy,
        '-v', 'asof=' + ds.asof, '-d', inst.conninfo('bench_floor'), '-o', os.devnull,
        '-f', scans]) for k in range(1, rounds + 1)]
    # the floor's tables leave the instance before cruscotto reads its own
    inst.sql('cruscotto', 'DROP DATABASE', command='DROP DATABASE bench_floor')
    reps, outs = [], []
    for k in range(1, rounds + 1):
        # each round writes a folder of its own, all removed after the last: files
        # deleted in the minutes before make this machine's ext4 slower to create files
        outs.append(os.path.join(work, 'out-json-%d' % k))
        reps.append(measure('report --format json' + (' %d/%d' % (k, rounds) if rounds > 1
                                                      else ''), inst.cz(
            'report', '--policy', ds.policy, '--period', ds.period, '--out', outs[-1],
            '--format', 'json')))
    floor_scan, rep = median(scan_floors), median(reps)
    res['report'] = rep
    res['rss'] = [imp, rep]
    cards, json_bytes, _ = scorecards_in(outs[-1], ds)
    for out in outs:
        remove_later(out)
    r = rep.wall / floor_scan.wall
    table.add('report JSON (%d cards)' % cards, '%.2f s' % rep.wall,
              'grouped scans %.2f s' % floor_scan.wall, x(r), '≤ %g×' % REPORT_MAX, mib(rep),
              r <= REPORT_MAX)
    if peer and not isinstance(peer, str):
        out_peer = os.path.join(work, 'out-peer')
        peer = measure('peer_pandas.py (floor)', list(peer) + [
            ds.folder, ds.policy, ds.period, out_peer])
        remove_later(out_peer)
        r = rep.wall / peer.wall
        table.add('report JSON vs pandas', '%.2f s' % rep.wall,
                  'peer_pandas.py %.2f s (%s)' % (peer.wall, mib(peer)), x(r), '< 1×',
                  mib(rep), r < 1)
    else:
        table.add('report JSON vs pandas', '%.2f s' % rep.wall, peer, '', '< 1×', mib(rep),
                  'not measured')

    # report PDF+JSON: scorecards per second, both cores
    out_all = os.path.join(work, 'out-all')
    full = measure('report --format pdf,json', inst.cz(
        'report', '--policy', ds.policy, '--period', ds.period, '--out', out_all))
    cards, json_bytes, pdf_bytes = scorecards_in(out_all, ds)
    remove_later(out_all)
    res['rss'].append(full)
    rate = cards / full.wall
    table.add('report PDF+JSON', '%d cards in %.2f s: %.1f/s' % (cards, full.wall, rate),
              '', '', '≥ %.1f/s (10,001 in 120 s)' % CARDS_PER_S, mib(full),
              rate >= CARDS_PER_S)
    table.add('  CPU use (user+sys / wall)', '%.0f%%' % (100 * full.cpu_use), '', '',
              '> %.0f%% on 2 cores' % (100 * CPU_MIN), '', full.cpu_use > CPU_MIN)
    pdf_floor_row(table, args, tools, out_all, work, full, cards)

    # publish against report PDF+JSON; bytes per scorecard
    size_sql = 'SELECT pg_database_size(current_database())'
    before = int(inst.sql('cruscotto', 'database size', command=size_sql))
    pub = measure('publish', inst.cz('publish', '--policy', ds.policy, '--period', ds.period))
    after = int(inst.sql('cruscotto', 'database size', command=size_sql))
    res['rss'].append(pub)
    r = pub.wall / full.wall
    table.add('publish', '%.2f s' % pub.wall, 'report PDF+JSON %.2f s' % full.wall, x(r),
              '≤ %g×' % PUBLISH_MAX, mib(pub), r <= PUBLISH_MAX)
    table.add('  bytes per scorecard', 'JSON %.1f kB, PDF %.1f kB' % (
        json_bytes / cards / 1e3, pdf_bytes / cards / 1e3),
        'database +%.1f kB' % ((after - before) / cards / 1e3))

    # serve against nginx, same bytes
    if not tools.get('wrk') or not tools.get('nginx'):
        missing = ' '.join(APT_PACKAGES[t] for t in ('wrk', 'nginx') if not tools.get(t))
        for what in ('policy JSON', 'policy PDF'):
            table.add('serve ' + what, '', 'needs apt-get install ' + missing, '',
                      '≥ %g× nginx, p99 < %g ms' % (SERVE_MIN, P99_MAX_MS), '',
                      'not measured')
        return res
    serve_err = os.path.join(work, 'serve.log')
    with open(serve_err, 'w') as log:
        serve = subprocess.Popen(inst.cz('serve', '--listen', '127.0.0.1:0'),
                                 stdout=subprocess.DEVNULL, stderr=log, env=child_env())
    procs['serve'] = serve
    port = int(wait_for_line(serve_err, r'serving published revisions on http://[^:]+:(\d+)/',
                             serve, 'cruscotto serve').group(1))
    base = 'http://127.0.0.1:%d/api/v1/policies/%s/scorecards/%s' % (port, ds.policy,
                                                                    ds.period)
    urls = {'policy.json': base, 'policy.pdf': base + '.pdf'}
    files, sent = {}, {}
    for name, url in urls.items():
        files[name] = fetch(url)
        # what a client asking for gzip receives: nginx serves the same bytes from name.gz
        sent[name] = fetch(url, gzip=True)
        if sent[name] != files[name]:
            files[name + '.gz'] = sent[name]
    # beside the work folder, not in it: nginx's workers must reach it
    nginx_tmp = tempfile.mkdtemp(prefix='cruscotto-bench-nginx-')
    procs['nginx_tmp'] = nginx_tmp
    nginx, nport = start_nginx(tools['nginx'], nginx_tmp, files)
    procs['nginx'] = nginx
    measured = []
    for name, url in urls.items():
        what = 'policy JSON' if name.endswith('json') else 'policy PDF'
        nurl = 'http://127.0.0.1:%d/%s' % (nport, name)
        if fetch(nurl) != files[name] or fetch(nurl, gzip=True) != sent[name]:
            raise BenchError('nginx does not serve the bytes cruscotto serves for ' + name)
        c_rps, c_p99, c_note = wrk(tools['wrk'], url, args.wrk_duration)
        n_rps, n_p99, n_note = wrk(tools['wrk'], nurl, args.wrk_duration)
        print('  %-30s %9.0f req/s  p99 %.2f ms   nginx %.0f req/s  p99 %.2f ms%s' % (
            'serve ' + what, c_rps, c_p99, n_rps, n_p99,
            ''.join('  (%s)' % n for n in (c_note, n_note) if n)), flush=True)
        measured.append((what, len(files[name]), len(sent[name]), c_rps, c_p99, c_note,
                         n_rps, n_p99))
    stop(nginx, signal.SIGQUIT)
    usage = stop(serve)
    if serve.returncode not in (0, None):
        with open(serve_err, errors='replace') as f:
            raise BenchError('cruscotto serve exited with code %d: %s' % (
                serve.returncode, last_line(f.read())))
    # serve's peak RSS covers both wrk runs: it is shown on both rows
    rss = Measure(0, 0, 0, usage.ru_maxrss if usage else 0)
    res['rss'].append(rss)
    for what, size, size_sent, c_rps, c_p99, c_note, n_rps, n_p99 in measured:
        r = c_rps / n_rps
        table.add('serve %s (%.0f kB%s)' % (what, size / 1e3, ', gzip %.0f kB' % (
            size_sent / 1e3) if size_sent != size else ''),
                  '%.0f req/s, p99 %.1f ms%s' % (c_rps, c_p99, ', ' + c_note if c_note else ''),
                  'nginx %.0f req/s, p99 %.1f ms' % (n_rps, n_p99), x(r),
                  '≥ %g×, p99 < %g ms' % (SERVE_MIN, P99_MAX_MS), mib(rss),
                  r >= SERVE_MIN and c_p99 < P99_MAX_MS and not c_note)
    return res


def find_tools():
    tools = {}
    for t in ('psql', 'wrk', 'nginx', 'pdftotext'):
        path = shutil.which(t) or (shutil.which(t, path='/usr/sbin:/sbin') if t == 'nginx'
                                   else None)
        if t == 'psql' and not path:
            for d in ('/usr/lib/postgresql/15/bin',):
                if os.path.exists(os.path.join(d, 'psql')):
                    path = os.path.join(d, 'psql')
        tools[t] = path
    return tools


def install_deps(missing):
    pkgs = sorted(set(APT_PACKAGES[m] for m in missing))
    if not pkgs:
        return
    print('installing %s with apt-get' % ' '.join(pkgs), flush=True)
    env = dict(os.environ, DEBIAN_FRONTEND='noninteractive')
    for argv in (['apt-get', 'update', '-q'],
                 ['apt-get', 'install', '-y', '-q', '--no-install-recommends',
                  '-o', 'DPkg::Lock::Timeout=600'] + pkgs):
        if subprocess.run(argv, env=env, stdout=subprocess.DEVNULL).returncode:
            raise BenchError('%s failed' % ' '.join(argv[:2]))


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--agreements', type=int, default=10000, metavar='N',
                    help='agreements in the policy (default 10000)')
    ap.add_argument('--growth-from', type=int, default=1000, metavar='M',
                    help='also import and report JSON at M agreements, for the growth '
                         'from M to N (default 1000; 0: no growth run)')
    ap.add_argument('--shared', metavar='DIR',
                    help='the folder of gen_scale.py and peer_pandas.py (default: '
                         '../shared/bench beside the repository or above it)')
    ap.add_argument('--demo', action='store_true',
                    help='scale the bundled demo even when gen_scale.py is present')
    ap.add_argument('--bin', default=os.path.join(ROOT, 'build', 'cruscotto'))
    ap.add_argument('--wrk-duration', type=int, default=10, metavar='S',
                    help='seconds of each wrk run (default 10)')
    ap.add_argument('--work', metavar='DIR',
                    help='where the datasets and outputs go (default: a temporary folder)')
    ap.add_argument('--install-deps', action='store_true',
                    help='install the missing bench-only packages with apt-get')
    ap.add_argument('--rounds', type=int, default=3, metavar='K',
                    help='runs of import and report JSON, each beside its floor; the '
                         'medians are compared (default 3)')
    ap.add_argument('--keep', action='store_true',
                    help='leave the embedded instances stopped but not deleted')
    args = ap.parse_args()
    if args.agreements < 1 or args.growth_from < 0 or args.wrk_duration < 1 or args.rounds < 1:
        ap.error('--agreements, --wrk-duration and --rounds must be >= 1, --growth-from >= 0')
    if not os.access(args.bin, os.X_OK):
        ap.error('%s is not built: meson setup build && ninja -C build' % args.bin)

    try:
        shared = find_shared(args.shared)
    except BenchError as e:
        ap.error(str(e))
    generate = shared and not args.demo
    tools = find_tools()
    gen_py = python_with(['numpy']) if generate else None
    peer_py = python_with(['numpy', 'pandas', 'scipy']) if shared else None
    missing = [t for t in ('psql', 'wrk', 'nginx', 'pdftotext') if not tools[t]]
    if shared and not peer_py:
        missing += ['numpy', 'pandas', 'scipy']
    if missing and args.install_deps:
        try:
            install_deps(missing)
        except BenchError as e:
            print('bench: %s' % e, file=sys.stderr)
            return 2
        tools = find_tools()
        gen_py = python_with(['numpy']) if generate else None
        peer_py = python_with(['numpy', 'pandas', 'scipy']) if shared else None
    elif missing:
        print('bench: missing %s (apt-get install %s, or run with --install-deps)' % (
            ', '.join(missing), ' '.join(sorted(set(APT_PACKAGES[m] for m in missing)))),
            file=sys.stderr)
    if not tools['psql']:
        print('bench: psql is needed for the floors (apt-get install postgresql-client)',
              file=sys.stderr)
        return 2
    if generate and not gen_py:
        print('bench: %s/gen_scale.py needs numpy (apt-get install python3-numpy, or '
              '--install-deps; --demo scales the demo instead)' % shared, file=sys.stderr)
        return 2

    generator = (gen_py, os.path.join(shared, 'gen_scale.py')) if generate else None
    # (python, script) to run, or why the peer is not measured
    peer_script = os.path.join(shared, 'peer_pandas.py') if shared else None
    peer = ((peer_py, peer_script) if peer_py and os.path.isfile(peer_script) else
            'no peer_pandas.py in ' + shared if peer_py else
            'needs python3-numpy, -pandas, -scipy' if shared else
            'no ../shared/bench/peer_pandas.py (--shared DIR)')

    def on_signal(signum, frame):
        raise Stop('signal %d' % signum)
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGHUP, on_signal)

    work = args.work or tempfile.mkdtemp(prefix='cruscotto-bench-')
    if args.work:
        os.makedirs(work, exist_ok=True)
    table = Table()
    procs = {}
    at_start = load()
    print('cruscotto bench on %s; at the start, %s' % (machine(), at_start), flush=True)
    try:
        small = None
        if args.growth_from and args.growth_from < args.agreements:
            small = growth_run(args, tools, work, generator, args.growth_from)
        print('main run: %d agreements' % args.agreements, flush=True)
        res = main_run(args, tools, work, generator, peer, table, procs)
        ds = res['dataset']
        if small:
            sds, simp, srep = small
            factor = ds.agreements / sds.agreements
            limit = GROWTH_SLACK * factor
            for label, a, b in (('import', simp, res['import']),
                                ('report JSON', srep, res['report'])):
                g = b.wall / a.wall
                table.add('growth %s %d→%d' % (label, sds.agreements, ds.agreements),
                          '%.2f s → %.2f s' % (a.wall, b.wall), 'linear %.1f×' % factor,
                          '%.1f×' % g, '≤ %.1f×' % limit, '', g <= limit)
        worst = max(m.rss for m in res['rss'])
        table.add('peak RSS, every command', '%.0f MiB' % worst, '', '',
                  '≤ %g MiB' % RSS_MAX_MIB, '', worst <= RSS_MAX_MIB)
    except (BenchError, Stop, KeyboardInterrupt) as e:
        print('bench: %s' % (e if str(e) else 'interrupted'), file=sys.stderr)
        if table.rows:
            print('\nfigures so far:')
            table.print()
        return 1
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
        stop(procs.get('nginx'), signal.SIGQUIT)
        stop(procs.get('serve'))
        if procs.get('instance'):
            procs['instance'].finish(args.keep)
        if procs.get('nginx_tmp'):
            shutil.rmtree(procs['nginx_tmp'], ignore_errors=True)
        for path in LATER:
            shutil.rmtree(path, ignore_errors=True)
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)

    print('\n%s: %d agreements (%s), policy %s, period %s; %s; at the start, %s' % (
        'cruscotto bench', ds.agreements, ds.source, ds.policy, ds.period, machine(),
        at_start))
    table.print()
    failed = table.failed()
    if failed:
        print('\ntargets not met or not measured: %s' % '; '.join(s.strip() for s in failed))
        return 1
    print('\nevery target met')
    return 0


if __name__ == '__main__':
    sys.exit(main())
