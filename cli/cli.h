/* cli: the command line of cruscotto — global options, the choice of the
 * database, and one handler per command. */
#ifndef CR_CLI_H
#define CR_CLI_H

/* Runs the command line; returns the process exit code (0 ok, 1 failure,
 * 2 usage). Errors are printed here, one line on stderr. */
int cli_main(int argc, char **argv);

#endif
