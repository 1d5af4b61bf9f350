/* cruscotto: evaluation dashboards for co-production policies. */
#include "cli.h"

int main(int argc, char **argv)
{
	return cli_main(argc, argv);
}
