/* cli: `haicang load-plan`, container loading plans (see docs/loading.md). */
#ifndef HC_CLI_CMD_LOAD_PLAN_H
#define HC_CLI_CMD_LOAD_PLAN_H

/* argv[0] is "load-plan". Returns the process exit status: 0 done, 1 an
 * error or a rejected plan, 2 usage. */
int hc_cmd_load_plan(int argc, char **argv);

#endif
