#include "cli.h"

#include "config.h"
#include "db.h"
#include "err.h"
#include "http.h"
#include "import.h"
#include "method.h"
#include "period.h"
#include "pgembed.h"
#include "publish.h"
#include "run.h"
#include "output.h"
#include "table.h"
#include "schema.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* What every command shares: where the database is and how chatty to be. */
struct cli {
	const char *db_conninfo; /* --db, or NULL */
	const char *state_dir;	 /* --state-dir, default ./var */
	int quiet;
	db *conn;
};

struct command {
	const char *name;
	const char *args;    /* the usage line after the command's name */
	const char *summary; /* one line for `cruscotto --help` */
	const char *help;    /* the command's own options, for `cruscotto CMD --help` */
	int (*run)(struct cli *cli, int argc, char **argv);
};

static const struct command commands[];

/* The command with that name, or NULL. */
static const struct command *find_command(const char *name);

/* An option of a command: a flag (`flag` set to 1) or a value (`value` set
 * to the argument). The common ones (--db, --state-dir, -q, --help) come
 * with every command. */
struct opt_spec {
	const char *name;
	const char **value;
	int *flag;
};

static const char common_help[] =
	"  --db CONNINFO      PostgreSQL connection string or URI (default: libpq's\n"
	"                     PGHOST, PGDATABASE, PGSERVICE, ... or, when none is set,\n"
	"                     the embedded instance)\n"
	"  --state-dir DIR    where the embedded instance lives (default ./var)\n"
	"  -q, --quiet        no progress and no database line on stderr\n"
	"  --help             this help\n";

static void print_command_help(const struct command *cmd, FILE *f)
{
	fprintf(f, "usage: cruscotto %s %s\n\n%s\n\n%s%s", cmd->name, cmd->args, cmd->summary,
		cmd->help ? cmd->help : "", common_help);
}

/* True when the environment names a database the libpq way. */
static int libpq_env_set(void)
{
	static const char *const vars[] = {"PGHOST",	 "PGHOSTADDR", "PGPORT",
					   "PGDATABASE", "PGUSER",     "PGSERVICE"};
	size_t i;

	for (i = 0; i < sizeof(vars) / sizeof(vars[0]); i++)
		if (getenv(vars[i]) && *getenv(vars[i]))
			return 1;
	return 0;
}

/* Connects to the database the user chose: --db, libpq's environment, or the
 * embedded instance, and says which on stderr. */
static int cli_connect(struct cli *cli)
{
	char *embedded = NULL;
	const char *conninfo = cli->db_conninfo;
	int rc;

	if (!conninfo && !libpq_env_set()) {
		rc = pgembed_ensure(cli->state_dir, cli->quiet ? NULL : stderr, &embedded);
		if (rc)
			return rc;
		conninfo = embedded;
	}
	rc = db_connect(conninfo, &cli->conn);
	if (rc == 0 && !cli->quiet)
		fprintf(stderr, "cruscotto: using %s%s\n", db_describe(cli->conn),
			embedded ? " (embedded instance)" : "");
	free(embedded);
	return rc;
}

/* Parses a command's options (`spec`, ended by a NULL name; NULL for none)
 * after the common ones, and checks that `npos` positional arguments
 * follow. Returns 1 when help was printed, 0 to go on, or ERR_USAGE. */
static int parse_options(struct cli *cli, const struct command *cmd, int argc, char **argv,
			 const struct opt_spec *spec, int npos)
{
	enum { OPT_DB = 1000, OPT_STATE_DIR, OPT_HELP, OPT_SPEC };
	/* the common four, at most eleven of the command's own, the terminator */
	struct option opts[16] = {{"db", required_argument, NULL, OPT_DB},
				  {"state-dir", required_argument, NULL, OPT_STATE_DIR},
				  {"quiet", no_argument, NULL, 'q'},
				  {"help", no_argument, NULL, OPT_HELP}};
	int opt, help = 0, n = 4, i;

	for (i = 0; spec && spec[i].name && n < 15; i++, n++)
		opts[n] = (struct option){spec[i].name,
					  spec[i].value ? required_argument : no_argument, NULL,
					  OPT_SPEC + i};
	optind = 1;
	while ((opt = getopt_long(argc, argv, "q", opts, NULL)) != -1) {
		if (opt == OPT_DB)
			cli->db_conninfo = optarg;
		else if (opt == OPT_STATE_DIR)
			cli->state_dir = optarg;
		else if (opt == 'q')
			cli->quiet = 1;
		else if (opt == OPT_HELP)
			help = 1;
		else if (opt >= OPT_SPEC && opt < OPT_SPEC + n - 4 && spec[opt - OPT_SPEC].value)
			*spec[opt - OPT_SPEC].value = optarg;
		else if (opt >= OPT_SPEC && opt < OPT_SPEC + n - 4)
			*spec[opt - OPT_SPEC].flag = 1;
		else
			return err_set(ERR_USAGE, "%s: unknown option (see cruscotto %s --help)",
				       cmd->name, cmd->name);
	}
	if (help) {
		print_command_help(cmd, stdout);
		return 1;
	}
	if (npos == 0 && optind < argc)
		return err_set(ERR_USAGE, "%s: unexpected argument %s (see cruscotto %s --help)",
			       cmd->name, argv[optind], cmd->name);
	if (argc - optind != npos)
		return err_set(ERR_USAGE, "usage: cruscotto %s %s", cmd->name, cmd->args);
	return 0;
}

static int cmd_init(struct cli *cli, int argc, char **argv)
{
	int rc = parse_options(cli, find_command("init"), argc, argv, NULL, 0), from = 0, to = 0;

	if (rc)
		return rc > 0 ? 0 : rc;
	rc = cli_connect(cli);
	if (rc)
		return rc;
	rc = schema_migrate(cli->conn, &from, &to);
	if (rc)
		return rc;
	if (from == to)
		printf("schema is up to date (version %d)\n", to);
	else
		printf("schema initialised: version %d -> %d\n", from, to);
	return 0;
}

static int cmd_import(struct cli *cli, int argc, char **argv)
{
	struct import_options io = {0};
	const struct opt_spec spec[] = {{"dry-run", NULL, &io.dry_run}, {NULL, NULL, NULL}};
	struct import_summary sum;
	int rc = parse_options(cli, find_command("import"), argc, argv, spec, 1), i;

	if (rc)
		return rc > 0 ? 0 : rc;
	rc = cli_connect(cli);
	if (rc)
		return rc;
	/* progress is for a person watching: not into a log, not when quiet */
	if (!cli->quiet && isatty(STDERR_FILENO))
		io.progress = stderr;
	rc = import_run(cli->conn, argv[optind], &io, &sum);
	if (rc)
		return rc;
	printf("%-20s %8s %8s %8s %8s\n", "file", "rows", "inserted", "updated", "appended");
	for (i = 0; i < sum.nfiles; i++)
		printf("%-20s %8ld %8ld %8ld %8ld\n", sum.files[i].name, sum.files[i].data_rows,
		       sum.files[i].inserted, sum.files[i].updated, sum.files[i].appended);
	if (sum.nignored) {
		printf("ignored (not interchange files):");
		for (i = 0; i < sum.nignored && i < 8; i++)
			printf("%s %s", i ? "," : "", sum.ignored[i]);
		if (sum.nignored > 8)
			printf(" and %d more", sum.nignored - 8);
		printf("\n");
	}
	if (io.dry_run)
		printf("dry run: nothing committed\n");
	else
		printf("batch %ld committed\n", sum.batch_id);
	return 0;
}

static int cmd_db(struct cli *cli, int argc, char **argv)
{
	const struct command *cmd = find_command("db");
	char *text = NULL;
	int rc = parse_options(cli, cmd, argc, argv, NULL, 1), running = 0;
	const char *action;

	if (rc)
		return rc > 0 ? 0 : rc;
	if (!cli->state_dir)
		cli->state_dir = "var";
	action = argv[optind];
	if (strcmp(action, "status") == 0) {
		rc = pgembed_status(cli->state_dir, &text, &running);
		if (rc == 0)
			fputs(text, stdout);
		free(text);
		/* like pg_ctl status: 3 says "not running" to scripts */
		return rc ? rc : (running ? 0 : 3);
	}
	if (strcmp(action, "stop") == 0)
		return pgembed_stop(cli->state_dir);
	if (strcmp(action, "destroy") == 0)
		return pgembed_destroy(cli->state_dir);
	return err_set(ERR_USAGE, "db: unknown action %s (status, stop or destroy)", action);
}

/* Options of the commands that compute a period. */
struct period_args {
	const char *policy, *period, *agreement, *locale, *out, *format, *neighbourhood;
};

/* Parses --policy, --period, --agreement, --neighbourhood, --locale (and --out, --format when
 * `report` is set); returns 1 when help was printed, 0 to go on, or ERR_USAGE. */
static int parse_period_args(struct cli *cli, const struct command *cmd, int argc, char **argv,
			     int report, struct period_args *a)
{
	const struct opt_spec spec[] = {{"policy", &a->policy, NULL},
					{"period", &a->period, NULL},
					{"agreement", &a->agreement, NULL},
					{"neighbourhood", &a->neighbourhood, NULL},
					{"locale", &a->locale, NULL},
					/* without `report`, the list ends here */
					{report ? "out" : NULL, &a->out, NULL},
					{"format", &a->format, NULL},
					{NULL, NULL, NULL}};
	int rc = parse_options(cli, cmd, argc, argv, spec, 0);
	struct period p;

	if (rc)
		return rc;
	if (!a->policy || !a->period || (report && !a->out))
		return err_set(ERR_USAGE, "usage: cruscotto %s %s", cmd->name, cmd->args);
	if (a->locale && strcmp(a->locale, "it") != 0 && strcmp(a->locale, "en") != 0)
		return err_set(ERR_USAGE, "%s: --locale must be it or en, not %s", cmd->name,
			       a->locale);
	if (a->agreement && a->neighbourhood)
		return err_set(ERR_USAGE, "%s: --agreement and --neighbourhood exclude each other",
			       cmd->name);
	return period_parse(a->period, &p);
}

/* Connects, checks the schema is current, and prepares the period. */
static int prepare_period(struct cli *cli, const struct period_args *a, struct ind_run **out)
{
	struct run_options ro = {a->policy, a->period, a->agreement,
				 a->locale, NULL,      a->neighbourhood};
	int rc = cli_connect(cli);

	if (rc == 0)
		rc = schema_check(cli->conn);
	if (rc)
		return rc;
	ro.progress = !cli->quiet && isatty(STDERR_FILENO) ? stderr : NULL;
	return run_prepare(cli->conn, &ro, out);
}

static int cmd_compute(struct cli *cli, int argc, char **argv)
{
	struct period_args a = {0};
	struct ind_run *run = NULL;
	int rc = parse_period_args(cli, find_command("compute"), argc, argv, 0, &a), i, n;
	int color = isatty(STDOUT_FILENO) && !getenv("NO_COLOR");

	if (rc)
		return rc > 0 ? 0 : rc;
	rc = prepare_period(cli, &a, &run);
	if (rc)
		return rc;
	/* one card at a time: the policy's (unless one agreement or
	 * neighbourhood is asked for), then each agreement's and each
	 * neighbourhood's */
	n = ind_run_cards(run);
	for (i = a.agreement || a.neighbourhood ? 1 : 0; rc == 0 && i < n; i++) {
		const struct scorecard *sc = NULL;

		rc = ind_run_card(run, i, &sc);
		if (rc == 0 && i > 0 && !a.agreement && !a.neighbourhood)
			fputc('\n', stdout);
		if (rc == 0)
			rc = rep_table_write(sc, stdout, color);
		ind_run_release(run, sc);
	}
	ind_run_free(run);
	return rc;
}

static int cmd_report(struct cli *cli, int argc, char **argv)
{
	struct period_args a = {0};
	struct rep_output_options oo = {0};
	struct rep_card_source src = {0};
	struct ind_run *run = NULL;
	int rc = parse_period_args(cli, find_command("report"), argc, argv, 1, &a);

	if (rc)
		return rc > 0 ? 0 : rc;
	rc = rep_output_formats(a.format ? a.format : "pdf,json", &oo.formats);
	if (rc)
		return rc;
	rc = prepare_period(cli, &a, &run);
	if (rc)
		return rc;
	src = run_card_source(run);
	oo.out_dir = a.out;
	oo.progress = !cli->quiet && isatty(STDERR_FILENO) ? stderr : NULL;
	rc = rep_output_write(&src, &oo);
	if (rc == 0 && !cli->quiet)
		fprintf(stderr, "cruscotto: wrote %d scorecard(s) of %s %s to %s/%s/%s/\n",
			src.count, a.policy, a.period, a.out, a.policy, a.period);
	ind_run_free(run);
	return rc;
}

/* The table entry of a command, by name: the handlers below do not depend
 * on their position in the table. */
static int cmd_publish(struct cli *cli, int argc, char **argv)
{
	const struct command *cmd = find_command("publish");
	struct publish_result res;
	struct period_args a = {0};
	int rc = parse_period_args(cli, cmd, argc, argv, 0, &a);

	if (rc)
		return rc > 0 ? 0 : rc;
	/* a revision is the whole period as the council reads it */
	if (a.agreement || a.neighbourhood || a.locale)
		return err_set(ERR_USAGE,
			       "publish: a revision holds every scorecard of the period in the "
			       "policy's locale (no --agreement, no --neighbourhood, no --locale)");
	rc = cli_connect(cli);
	if (rc == 0)
		rc = schema_check(cli->conn);
	if (rc == 0)
		rc = publish_period(cli->conn, a.policy, a.period,
				    !cli->quiet && isatty(STDERR_FILENO) ? stderr : NULL, &res);
	if (rc)
		return rc;
	printf("published %s %s as revision %d: %d scorecard(s), %d document(s), %d page(s)",
	       a.policy, a.period, res.revision, res.scorecards, res.documents, res.pages);
	if (res.batch_id >= 0)
		printf(", data up to import batch %lld", res.batch_id);
	printf("\n");
	return 0;
}

static int cmd_revisions(struct cli *cli, int argc, char **argv)
{
	const char *policy = NULL, *period = NULL;
	const struct opt_spec spec[] = {
		{"policy", &policy, NULL}, {"period", &period, NULL}, {NULL, NULL, NULL}};
	const struct command *cmd = find_command("revisions");
	int rc = parse_options(cli, cmd, argc, argv, spec, 0);
	struct period p;
	rows *r = NULL;

	if (rc)
		return rc > 0 ? 0 : rc;
	if (!policy)
		return err_set(ERR_USAGE, "usage: cruscotto %s %s", cmd->name, cmd->args);
	if (period) {
		rc = period_parse(period, &p);
		if (rc)
			return rc;
	}
	rc = cli_connect(cli);
	if (rc == 0)
		rc = schema_check(cli->conn);
	if (rc == 0)
		rc = publish_list(cli->conn, policy, period, &r);
	if (rc == 0)
		rc = publish_write_table(r, policy, stdout);
	rows_free(r);
	return rc;
}

static int cmd_serve(struct cli *cli, int argc, char **argv)
{
	struct http_options ho = {0};
	const char *pool_arg = NULL;
	const struct opt_spec spec[] = {
		{"listen", &ho.listen, NULL}, {"pool", &pool_arg, NULL}, {NULL, NULL, NULL}};
	int rc = parse_options(cli, find_command("serve"), argc, argv, spec, 0);
	char *embedded = NULL, *end;
	long pool = 4;

	if (rc)
		return rc > 0 ? 0 : rc;
	if (pool_arg) {
		pool = strtol(pool_arg, &end, 10);
		if (*end || pool < 1 || pool > 64)
			return err_set(ERR_USAGE, "serve: --pool must be 1 to 64, not %s",
				       pool_arg);
	}
	rc = http_check_listen(ho.listen ? ho.listen : "127.0.0.1:8080");
	if (rc)
		return rc;
	/* the server opens its own connections (a pool), to the database
	 * cli_connect would choose */
	ho.conninfo = cli->db_conninfo;
	if (!ho.conninfo && !libpq_env_set()) {
		rc = pgembed_ensure_server(cli->state_dir, cli->quiet ? NULL : stderr, &embedded);
		if (rc)
			return rc;
		ho.conninfo = embedded;
	}
	ho.pool_size = (int)pool;
	ho.access_log = stderr;
	ho.warnings = stderr;
	rc = http_serve(&ho, stderr);
	free(embedded);
	return rc;
}

static int cmd_catalogue(struct cli *cli, int argc, char **argv)
{
	const char *format = "md", *locale = NULL;
	const struct opt_spec spec[] = {
		{"format", &format, NULL}, {"locale", &locale, NULL}, {NULL, NULL, NULL}};
	int rc = parse_options(cli, find_command("catalogue"), argc, argv, spec, 0);

	if (rc)
		return rc > 0 ? 0 : rc;
	if (strcmp(format, "md") != 0 && strcmp(format, "json") != 0)
		return err_set(ERR_USAGE, "catalogue: --format must be md or json, not %s", format);
	if (locale && strcmp(locale, "it") != 0 && strcmp(locale, "en") != 0)
		return err_set(ERR_USAGE, "catalogue: --locale must be it or en, not %s", locale);
	/* the catalogue is the binary's own: no database */
	return strcmp(format, "md") == 0 ? rep_method_write_md(stdout, locale)
					 : rep_method_write_json(stdout, locale);
}

static const struct command commands[] = {
	{"init", "[--db CONNINFO]",
	 "Creates or upgrades cruscotto's schema in the database (idempotent).", NULL, cmd_init},
	{"import", "[--dry-run] DIR",
	 "Loads a folder of CSV files in the interchange format, all or nothing.",
	 "  --dry-run          validate and report, commit nothing\n", cmd_import},
	{"db", "status|stop|destroy",
	 "Shows, stops or deletes the embedded PostgreSQL instance of the state folder.",
	 "  status             whether it runs, where its data, socket and log are\n"
	 "                     (exit 3 when it is not running)\n"
	 "  stop               stop the server (the data stays)\n"
	 "  destroy            stop the server and delete its data\n",
	 cmd_db},
	{"compute",
	 "--policy P --period YYYY-Qn [--agreement A | --neighbourhood N] [--locale it|en]",
	 "Computes a period's scorecards and prints them as tables.",
	 "  --policy P         the policy's code\n"
	 "  --period YYYY-Qn   the quarter (values as of its last day)\n"
	 "  --agreement A      only this agreement's scorecard\n"
	 "  --neighbourhood N  only this neighbourhood's scorecard (a neighbourhood\n"
	 "                     covered by an agreement in scope at the period's end)\n"
	 "  --locale it|en     labels and number formats (default: the policy's)\n",
	 cmd_compute},
	{"report",
	 "--policy P --period YYYY-Qn --out DIR [--agreement A | --neighbourhood N] "
	 "[--format pdf,json,html,csv] [--locale it|en]",
	 "Writes a period's scorecards (policy, every agreement, every neighbourhood) as files.",
	 "  --policy P         the policy's code\n"
	 "  --period YYYY-Qn   the quarter (values as of its last day)\n"
	 "  --agreement A      only this agreement's scorecard (and the policy's)\n"
	 "  --neighbourhood N  only this neighbourhood's scorecard (and the policy's)\n"
	 "  --out DIR          output folder: DIR/<policy>/<period>/...\n"
	 "  --format LIST      comma-separated pdf, json, html, csv (default pdf,json);\n"
	 "                     html writes index.html, ranking/<k>.html,\n"
	 "                     agreements/<code>.html and cruscotto.css; csv writes\n"
	 "                     the open-data table scorecards.csv and dcat.json\n"
	 "  --locale it|en     labels and number formats (default: the policy's)\n",
	 cmd_report},
	{"publish", "--policy P --period YYYY-Qn",
	 "Publishes a checked period: its scorecards become a new immutable revision.",
	 "  --policy P         the policy's code\n"
	 "  --period YYYY-Qn   the quarter (values as of its last day)\n",
	 cmd_publish},
	{"revisions", "--policy P [--period YYYY-Qn]",
	 "Lists the published revisions of a policy (of one period, or all).",
	 "  --policy P         the policy's code\n"
	 "  --period YYYY-Qn   only this quarter's revisions\n",
	 cmd_revisions},
	{"catalogue", "[--format md|json] [--locale it|en]",
	 "Prints the methodology: every indicator with its definition, and the rules.",
	 "  --format md|json   Markdown (default; docs/METHOD.md) or JSON\n"
	 "  --locale it|en     one language (default: both, Italian first)\n",
	 cmd_catalogue},
	{"serve", "[--listen HOST:PORT] [--pool N]",
	 "Serves the published revisions over HTTP (JSON API, PDFs, a page for the council).",
	 "  --listen HOST:PORT where to listen (default 127.0.0.1:8080; [::1]:8080 for\n"
	 "                     IPv6; port 0 takes a free port)\n"
	 "  --pool N           database connections (default 4)\n",
	 cmd_serve},
};

static const struct command *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

static void print_help(FILE *f)
{
	size_t i;

	fprintf(f,
		"usage: cruscotto [--version] [--help] COMMAND [OPTIONS] [ARGS]\n\n"
		"Evaluation dashboards (cruscotto di valutazione) for co-production policies.\n\n"
		"Commands:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\nRun 'cruscotto COMMAND --help' for a command's options.\n");
}

int cli_main(int argc, char **argv)
{
	const struct command *cmd;
	struct cli cli = {0};
	int rc;

	if (argc < 2) {
		print_help(stderr);
		return 2;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		print_help(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("cruscotto %s (schema version %d)\n", CR_VERSION, schema_binary_version());
		return 0;
	}
	cmd = find_command(argv[1]);
	if (!cmd) {
		fprintf(stderr, "cruscotto: unknown command %s (see cruscotto --help)\n", argv[1]);
		return 2;
	}
	cli.state_dir = "var";
	rc = cmd->run(&cli, argc - 1, argv + 1);
	db_close(cli.conn);
	/* a positive code is an answer, not a failure (db status: 3) */
	if (rc >= 0)
		return rc;
	fprintf(stderr, "cruscotto: %s\n", err_last());
	return rc == ERR_USAGE ? 2 : 1;
}
