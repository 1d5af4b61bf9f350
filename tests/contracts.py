#!/usr/bin/env python3
"""contracts: every JSON that cruscotto writes or serves, checked against the
published contracts with real validators.

- docs/scorecard.schema.json (JSON Schema 2020-12, python3-jsonschema):
  every scorecard file that `report` writes for the demo, and every
  scorecard the API serves;
- docs/openapi.yaml: linted by redocly (npm @redocly/cli, which test.sh
  installs into build-tools/npm), as is the document the server serves at
  /api/v1/openapi.json; every JSON response of the API (lists, scorecards,
  DCAT metadata, errors) is validated against the schema that document
  gives for its path and status, and is compact;
- the open-data table: the CSV that `report --format csv` writes equals,
  byte for byte, the one the API serves from the revision; it parses as
  RFC 4180 and agrees, row by row, with the JSON scorecards.

A missing validator is a failure, never a skip.

Environment: CRUSCOTTO_BIN, CRUSCOTTO_SOURCE_ROOT, CRUSCOTTO_REDOCLY (the
redocly binary; default build-tools/npm/node_modules/.bin/redocly), and the
libpq variables of the throwaway cluster that test.sh starts."""
import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

NAME = 'contracts'


def fail(msg):
    print(f'{NAME}: FAIL: {msg}', file=sys.stderr)
    sys.exit(1)


try:
    import jsonschema
    import yaml
except ImportError as e:
    fail(f'{e.name} is missing: ./deps.sh --test installs python3-jsonschema and python3-yaml')

root = os.environ.get('CRUSCOTTO_SOURCE_ROOT') or os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
binary = os.environ.get('CRUSCOTTO_BIN') or fail('CRUSCOTTO_BIN is not set')
pgbin = os.environ.get('CRUSCOTTO_TEST_PGBIN', '/usr/lib/postgresql/15/bin')
redocly = os.environ.get('CRUSCOTTO_REDOCLY') or os.path.join(root, 'build-tools', 'npm', 'node_modules', '.bin', 'redocly')
if not os.access(redocly, os.X_OK):
    fail(f'the OpenAPI linter is missing ({redocly}): ./test.sh installs @redocly/cli there with npm')

with open(os.path.join(root, 'docs', 'scorecard.schema.json'), encoding='utf-8') as f:
    card_schema = json.load(f)
jsonschema.Draft202012Validator.check_schema(card_schema)
card_validator = jsonschema.Draft202012Validator(card_schema, format_checker=jsonschema.FormatChecker())


def check_card(doc, where):
    errors = sorted(card_validator.iter_errors(doc), key=lambda e: list(e.path))
    if errors:
        for e in errors[:5]:
            print(f'{NAME}: {where}: /{"/".join(map(str, e.path))}: {e.message}', file=sys.stderr)
        e = errors[0]
        fail(f'{where}: not a valid cruscotto.scorecard/1 at /{"/".join(map(str, e.path))}: {e.message}'
             f' ({len(errors)} error(s))')


def lint(path):
    r = subprocess.run([redocly, 'lint', '--config', os.path.join(root, 'tests', 'redocly.yaml'),
                        '--format=stylish', path], capture_output=True, text=True,
                       env=dict(os.environ, REDOCLY_TELEMETRY='off', REDOCLY_SUPPRESS_UPDATE_NOTICE='true'))
    if r.returncode != 0:
        fail(f'redocly lint {path}: exit {r.returncode}\n{r.stdout[-3000:]}{r.stderr[-2000:]}')


tmp = tempfile.mkdtemp(prefix='crtest-contracts.')
db = f'crtest_contracts_{os.getpid()}'
server = None


def cleanup():
    if server and server.poll() is None:
        server.terminate()
        server.wait(timeout=30)
    subprocess.run([os.path.join(pgbin, 'dropdb'), '--if-exists', '--force', db], capture_output=True)
    shutil.rmtree(tmp, ignore_errors=True)


def cz(*args):
    r = subprocess.run([binary, *args, '-q', '--db', f'dbname={db}'], capture_output=True, text=True)
    if r.returncode != 0:
        fail(f'cruscotto {" ".join(args)}: exit {r.returncode}: {r.stderr.strip()}')
    return r.stdout


def main():
    global server
    lint(os.path.join(root, 'docs', 'openapi.yaml'))

    subprocess.run([os.path.join(pgbin, 'createdb'), db], check=True)
    cz('init')
    cz('import', os.path.join(root, 'data', 'demo'))
    out = os.path.join(tmp, 'out')
    cz('report', '--policy', 'QUA', '--period', '2018-Q4', '--out', out, '--format', 'json,csv')

    # every JSON the demo writes
    period_dir = os.path.join(out, 'QUA', '2018-Q4')
    cards = {}
    for dirpath, _, files in os.walk(period_dir):
        for name in files:
            if name.endswith('.json') and name != 'dcat.json':
                path = os.path.join(dirpath, name)
                with open(path, encoding='utf-8') as f:
                    doc = json.load(f)
                check_card(doc, path)
                code = doc.get('agreement', doc.get('neighbourhood', {})).get('code', '')
                cards[(doc['level'], code)] = doc
    if ('policy', '') not in cards or not any(k[0] == 'agreement' for k in cards) or \
            not any(k[0] == 'neighbourhood' for k in cards):
        fail(f'report wrote {len(cards)} JSON scorecard(s), expected the policy, its agreements '
             'and its neighbourhoods')
    neighbourhoods = sorted(c for (lvl, c) in cards if lvl == 'neighbourhood')
    for code in neighbourhoods:
        if not os.path.exists(os.path.join(period_dir, 'neighbourhoods', f'{code}.json')):
            fail(f'neighbourhood {code} is not under neighbourhoods/')

    # the table agrees with the scorecards, row by row
    with open(os.path.join(period_dir, 'scorecards.csv'), 'rb') as f:
        report_csv = f.read()
    check_table(report_csv, cards)

    cz('publish', '--policy', 'QUA', '--period', '2018-Q4')
    cz('publish', '--policy', 'QUA', '--period', '2018-Q4')

    log = open(os.path.join(tmp, 'serve.log'), 'w')
    server = subprocess.Popen([binary, 'serve', '--db', f'dbname={db}', '--listen', '127.0.0.1:0'],
                              stderr=log, stdout=subprocess.DEVNULL)
    port = None
    for _ in range(300):
        with open(os.path.join(tmp, 'serve.log'), encoding='utf-8') as f:
            m = re.search(r'serving published revisions on http://127\.0\.0\.1:(\d+)/', f.read())
        if m:
            port = int(m.group(1))
            break
        if server.poll() is not None:
            fail('cruscotto serve exited')
        time.sleep(0.1)
    if not port:
        fail('cruscotto serve did not start')
    base = f'http://127.0.0.1:{port}'

    def get(path, headers=None):
        req = urllib.request.Request(base + path, headers=headers or {})
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        try:
            with opener.open(req, timeout=30) as r:
                return r.status, dict(r.headers), r.read()
        except urllib.error.HTTPError as e:
            return e.code, dict(e.headers), e.read()

    status, headers, body = get('/api/v1/openapi.json')
    if status != 200 or not headers.get('Content-Type', '').startswith('application/json'):
        fail(f'GET /api/v1/openapi.json: {status} {headers.get("Content-Type")}')
    api = json.loads(body)
    served = os.path.join(tmp, 'openapi.json')
    with open(served, 'wb') as f:
        f.write(body)
    lint(served)
    with open(os.path.join(root, 'docs', 'openapi.yaml'), encoding='utf-8') as f:
        if yaml.safe_load(f)['paths'].keys() != api['paths'].keys():
            fail('the served OpenAPI document is not docs/openapi.yaml')
    jsonschema.Draft202012Validator.check_schema(api['components']['schemas']['Scorecard'])

    templates = [(re.compile('^' + re.sub(r'\\\{[a-z]+\\\}', '[^/?]+', re.escape(p)) + '$'), p)
                 for p in api['paths']]

    def operation(path):
        bare = path.split('?')[0]
        # the most specific template: a literal suffix (.pdf, .csv) beats {period}
        found = [p for rx, p in templates if rx.match(bare)]
        if not found:
            fail(f'{path}: no path of the OpenAPI document matches it')
        return api['paths'][max(found, key=len)]['get']

    checked = {'responses': 0}

    def check(path, want_status, headers=None):
        status, h, body = get(path, headers)
        if status != want_status:
            fail(f'GET {path}: {status}, expected {want_status}: {body[:200]!r}')
        op = operation(path)
        response = op['responses'].get(str(status))
        if response is None:
            fail(f'GET {path}: status {status} is not in the OpenAPI document')
        if '$ref' in response:
            response = api['components']['responses'][response['$ref'].rsplit('/', 1)[1]]
        ctype = h.get('Content-Type', '')
        if status == 304:
            if body:
                fail(f'GET {path}: a 304 with a body')
            return status, h, body
        media = response.get('content', {})
        if ctype not in media and ctype.split(';')[0] not in media:
            fail(f'GET {path}: Content-Type {ctype} is not documented ({", ".join(media)})')
        for name in response.get('headers', {}):
            if name.lower() not in {k.lower() for k in h} and name != 'Retry-After':
                fail(f'GET {path}: documented header {name} missing')
        if 'ETag' in response.get('headers', {}) and not re.fullmatch(r'"[0-9a-f]{64}"', h.get('ETag', '')):
            fail(f'GET {path}: ETag {h.get("ETag")!r}')
        if ctype.startswith('application/json'):
            text = body.decode('utf-8')
            if '\n' in text[:-1] or '\t' in text or not text.endswith('\n'):
                fail(f'GET {path}: JSON is not compact')
            doc = json.loads(text)
            schema = media.get(ctype, media.get(ctype.split(';')[0]))['schema']
            resolver_schema = dict(schema, components=api['components'])
            v = jsonschema.Draft202012Validator(resolver_schema, format_checker=jsonschema.FormatChecker())
            errors = list(v.iter_errors(doc))
            if errors:
                e = errors[0]
                fail(f'GET {path}: invalid at /{"/".join(map(str, e.path))}: {e.message}')
            if schema.get('$ref', '').endswith('/Scorecard'):
                check_card(doc, f'GET {path}')
        checked['responses'] += 1
        return status, h, body

    check('/api/v1/policies', 200)
    _, _, body = check('/api/v1/policies/QUA/periods', 200)
    periods = json.loads(body)
    # the period's agreements, a page of 10 at a time, following `next`
    agreements, link, pages = [], periods['periods'][0]['links']['agreements'] + '?limit=10', 0
    while link:
        _, _, body = check(link, 200)
        page = json.loads(body)
        agreements += [a['code'] for a in page['agreements']]
        link, pages = page['next'], pages + 1
    if pages < 2:
        fail(f'the agreements listing came in {pages} page(s) of 10')
    check('/periods/QUA/2018-Q4?limit=10', 200)
    if sorted(agreements) != sorted(c for (lvl, c) in cards if lvl == 'agreement'):
        fail(f'the published agreements {agreements} are not the reported ones')
    _, h, body = check('/api/v1/policies/QUA/scorecards/2018-Q4', 200)
    if h.get('X-Cruscotto-Revision') != '2':
        fail(f'latest revision header {h.get("X-Cruscotto-Revision")}')
    check('/api/v1/policies/QUA/scorecards/2018-Q4', 304, {'If-None-Match': h['ETag']})
    check('/api/v1/policies/QUA/scorecards/2018-Q4.json?revision=1', 200)
    for code in agreements:
        check(f'/api/v1/agreements/{code}/scorecards/2018-Q4', 200)
    check(f'/api/v1/agreements/{agreements[0]}/scorecards/2018-Q4.pdf', 200)
    check('/api/v1/policies/QUA/scorecards/2018-Q4.pdf?revision=1', 200)
    _, _, served_csv = check('/api/v1/policies/QUA/scorecards/2018-Q4.csv', 200)
    if served_csv != report_csv:
        fail('the served CSV table differs from the one report wrote from the same data')
    check('/api/v1/policies/QUA/scorecards/2018-Q4.csv?revision=1', 200)
    _, _, dcat = check('/api/v1/policies/QUA/scorecards/2018-Q4.dcat.json', 200)
    dist = json.loads(dcat)['distribution'][0]
    if dist['downloadURL'] != '/api/v1/policies/QUA/scorecards/2018-Q4.csv':
        fail(f'dcat downloadURL {dist["downloadURL"]}')
    with open(os.path.join(period_dir, 'dcat.json'), encoding='utf-8') as f:
        local = json.loads(f.read())
    v = jsonschema.Draft202012Validator(dict(api['components']['schemas']['Dcat'], components=api['components']),
                                        format_checker=jsonschema.FormatChecker())
    if list(v.iter_errors(local)) or local['distribution'][0]['downloadURL'] != 'scorecards.csv':
        fail('the dcat.json that report writes is not valid or does not name scorecards.csv')
    check('/api/v1/openapi.json', 200)
    check('/', 200)
    # the stored HTML pages, and the documents they link by relative address
    check('/QUA/', 200)
    _, h, body = check('/QUA/2018-Q4/', 200)
    if "default-src 'self'" not in h.get('Content-Security-Policy', '') or \
            h.get('Referrer-Policy') != 'same-origin' or h.get('X-Content-Type-Options') != 'nosniff':
        fail(f'GET /QUA/2018-Q4/: headers {dict(h)}')
    if b'Revisione 2' not in body and b'Revision 2' not in body:
        fail('the latest period page does not say its revision')
    check('/QUA/2018-Q4/', 304, {'If-None-Match': h['ETag']})
    check('/QUA/2018-Q4/index.html', 200)
    check('/QUA/2018-Q4/index.html?revision=1', 200)
    check('/QUA/2018-Q4/revision/1/', 200)
    check('/QUA/2018-Q4/cruscotto.css', 200)
    check('/QUA/2018-Q4/ranking/1.html', 200)
    check(f'/QUA/2018-Q4/agreements/{agreements[0]}.html', 200)
    check(f'/QUA/2018-Q4/agreements/{agreements[0]}.json', 200)
    check(f'/QUA/2018-Q4/agreements/{agreements[0]}.pdf', 200)
    check('/QUA/2018-Q4/policy.json', 200)
    check('/QUA/2018-Q4/policy.pdf?revision=1', 200)
    check('/QUA/2018-Q4/agreements/NOPE.html', 404)
    check('/QUA/2018-Q4/revision/0/', 400)
    # error bodies
    check('/api/v1/policies/NOPE/periods', 404)
    check('/api/v1/policies/QUA/periods?limit=0', 400)
    check('/api/v1/policies/QUA/periods/2018-Q4/agreements?after=%3Cx%3E', 400)
    check('/api/v1/policies/QUA/scorecards/2019-Q1', 404)
    check('/api/v1/policies/QUA/scorecards/2018-Q4.csv?revision=9', 404)
    check('/api/v1/policies/QUA/scorecards/2018-Q5', 400)
    check('/api/v1/policies/QUA/scorecards/2018-Q4?revision=x', 400)
    check('/api/v1/agreements/QUA-01/scorecards/2018-Q4.csv', 404)
    # the neighbourhoods' scorecards, as reported
    for code in neighbourhoods:
        _, h, body = check(f'/api/v1/policies/QUA/neighbourhoods/{code}/scorecards/2018-Q4', 200)
        if json.loads(body) != cards[('neighbourhood', code)]:
            fail(f'the served scorecard of neighbourhood {code} is not the reported one')
    check(f'/api/v1/policies/QUA/neighbourhoods/{neighbourhoods[0]}/scorecards/2018-Q4', 304,
          {'If-None-Match': h['ETag']} if len(neighbourhoods) == 1 else
          {'If-None-Match': get(f'/api/v1/policies/QUA/neighbourhoods/{neighbourhoods[0]}'
                                '/scorecards/2018-Q4')[1]['ETag']})
    check(f'/api/v1/policies/QUA/neighbourhoods/{neighbourhoods[0]}/scorecards/2018-Q4.pdf', 200)
    check(f'/api/v1/policies/QUA/neighbourhoods/{neighbourhoods[0]}/scorecards/2018-Q4.json'
          '?revision=1', 200)
    check('/api/v1/policies/QUA/neighbourhoods/NOPE/scorecards/2018-Q4', 404)
    check(f'/api/v1/policies/QUA/neighbourhoods/{neighbourhoods[0]}/scorecards/2018-Q4.csv', 404)
    check(f'/QUA/2018-Q4/neighbourhoods/{neighbourhoods[0]}.html', 200)
    check(f'/QUA/2018-Q4/neighbourhoods/{neighbourhoods[0]}.json', 200)
    check(f'/QUA/2018-Q4/neighbourhoods/{neighbourhoods[0]}.pdf?revision=1', 200)
    check('/QUA/2018-Q4/neighbourhoods/NOPE.html', 404)
    nrows = report_csv.count(b'\r\n') - 1
    print(f'{NAME}: ok: {len(cards)} scorecard file(s) and {checked["responses"]} API response(s) '
          f'valid; the CSV table ({nrows} rows) served as written')


def check_table(data, cards):
    columns = ['policy', 'level', 'code', 'title', 'period', 'indicator', 'dimension', 'unit',
               'value', 'previous', 'delta', 'n', 'ci_low', 'ci_high', 'suppressed',
               'suppression', 'target', 'status', 'normalised']
    text = data.decode('utf-8')
    if not text.endswith('\r\n') or '\r\n' not in text:
        fail('the CSV table does not end its records with CRLF')
    rows = list(csv.reader(io.StringIO(text, newline=''), strict=True))
    if rows[0] != columns:
        fail(f'CSV header {rows[0]}')
    expected = sum(len(c['indicators']) for c in cards.values())
    if len(rows) - 1 != expected:
        fail(f'{len(rows) - 1} CSV rows, expected one per scorecard and indicator: {expected}')

    def same(field, value):
        if value is None:
            return field == ''
        if isinstance(value, bool):
            return field == ('true' if value else 'false')
        if isinstance(value, (int, float)):
            return field != '' and float(field) == float(value) and ',' not in field
        return field == value

    suppressed = 0
    for row in rows[1:]:
        r = dict(zip(columns, row))
        card = cards.get((r['level'], r['code']))
        if card is None:
            fail(f'CSV row of unknown scorecard {r["code"]!r}')
        ind = card['indicators'].get(r['indicator'])
        if ind is None:
            fail(f'CSV row of {r["indicator"]} not in the JSON of {r["code"] or "the policy"}')
        ci = ind['ci'] or [None, None]
        pairs = [('level', card['level']), ('period', card['period']['id']),
                 ('dimension', ind['dimension']), ('unit', ind['unit']), ('value', ind['value']),
                 ('previous', ind['previous']), ('delta', ind['delta']), ('n', ind['n']),
                 ('ci_low', ci[0]), ('ci_high', ci[1]), ('suppressed', ind['suppressed']),
                 ('suppression', ind['suppression']), ('target', ind['target']),
                 ('status', ind['status']), ('normalised', ind['normalised'])]
        for col, value in pairs:
            if not same(r[col], value):
                fail(f'CSV {r["code"] or "policy"} {r["indicator"]} {col}: {r[col]!r}, JSON has {value!r}')
        if r['suppressed'] == 'true':
            suppressed += 1
            if r['value'] or r['delta'] or r['ci_low'] or r['normalised']:
                fail(f'CSV {r["code"]} {r["indicator"]}: a suppressed row shows a value')
    if suppressed == 0:
        fail('the demo table has no suppressed row: the check of empty cells tested nothing')


try:
    main()
finally:
    cleanup()
