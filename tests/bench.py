#!/usr/bin/env python3
"""Benchmark: how long cruscotto takes, and how much memory, on the demo
scaled to many agreements. Not part of the test suite (timings do not
belong in tests); run it by hand after `meson setup build && ninja -C build`:

    python3 tests/bench.py [--scale 12] [--bin build/cruscotto]

The demo (25 agreements) is copied `scale` times into one policy, every
agreement-level code, person, respondent and signatory made distinct per
copy, so that the policy has 25 x scale agreements. The copies live in an
embedded instance of their own (var/bench), created afresh. Targets: a
policy with 300 agreements computes in under 5 s and reports (JSON and PDF,
301 scorecards) in under 60 s, each in under 512 MiB."""
import argparse
import csv
import os
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEMO = os.path.join(ROOT, 'data', 'demo')
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


def write_scaled(out, scale):
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
                    if name == 'org_events.csv' and not row['agreement_code'] and k:
                        continue
                    w.writerow({c: scaled(v, c, k, name) for c, v in row.items()})


def run(label, argv):
    """Runs argv; prints and returns its wall time and its own peak RSS."""
    start = time.monotonic()
    child = subprocess.Popen(argv, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.monotonic() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit('%s failed: %s' % (label, ' '.join(argv)))
    print('%-28s %8.2f s   peak RSS %7.1f MiB' % (label, seconds, usage.ru_maxrss / 1024.0))
    return seconds, usage.ru_maxrss / 1024.0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--scale', type=int, default=12)
    ap.add_argument('--bin', default=os.path.join(ROOT, 'build', 'cruscotto'))
    ap.add_argument('--keep', action='store_true',
                    help='leave the instance running, for profiling by hand')
    args = ap.parse_args()
    state = os.path.join(ROOT, 'var', 'bench')
    data = tempfile.mkdtemp(prefix='cruscotto-bench-')
    out = tempfile.mkdtemp(prefix='cruscotto-bench-out-')
    try:
        write_scaled(data, args.scale)
        cz = [args.bin, '--state-dir', state, '-q']
        subprocess.run([args.bin, 'db', 'destroy', '--state-dir', state], check=True)
        subprocess.run([args.bin, 'init', '--state-dir', state, '-q'], check=True,
                       stdout=subprocess.DEVNULL)
        print('%d agreements in one policy' % (25 * args.scale))
        run('import', [args.bin, 'import', data] + cz[1:])
        t_compute, m_compute = run('compute (table)', [args.bin, 'compute', '--policy', 'QUA',
                                   '--period', '2018-Q4'] + cz[1:])
        run('report --format json', [args.bin, 'report', '--policy', 'QUA', '--period',
            '2018-Q4', '--out', out, '--format', 'json'] + cz[1:])
        t_report, m_report = run('report --format pdf,json',
                                 [args.bin, 'report', '--policy', 'QUA', '--period', '2018-Q4',
                                  '--out', out] + cz[1:])
        if args.scale == 12:
            ok = t_compute < 5 and t_report < 60 and max(m_compute, m_report) < 512
            print('targets (300 agreements: compute < 5 s, report < 60 s, < 512 MiB):',
                  'met' if ok else 'NOT met')
            return 0 if ok else 1
        return 0
    finally:
        if not args.keep:
            subprocess.run([args.bin, 'db', 'stop', '--state-dir', state])
        shutil.rmtree(data, ignore_errors=True)
        shutil.rmtree(out, ignore_errors=True)


if __name__ == '__main__':
    sys.exit(main())
