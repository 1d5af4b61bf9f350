#include "check_main.h"
static Suite *server_suite(void){return suite_create("server");}
CHECK_MAIN(server_suite)
