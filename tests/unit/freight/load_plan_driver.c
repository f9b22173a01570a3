/* Stand-alone driver for `haicang load-plan`, so the freight tests and the
 * benchmark can run the command without the full haicang binary:
 *   loading-driver load-plan ARGS... */
#include <stdio.h>
#include <string.h>

#include "cli/cmd_load_plan.h"

int main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "load-plan") != 0) {
        fprintf(stderr, "usage: %s load-plan ARGS...\n", argv[0]);
        return 2;
    }
    return hc_cmd_load_plan(argc - 1, argv + 1);
}
