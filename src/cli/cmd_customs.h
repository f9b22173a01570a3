/* cli: `haicang customs`, file-level operations on CEB messages
 * (validate, sign, verify, receipt, inbox) and record commands on a database
 * (register, declare, show, lists, receipts, summary, bill, inspect, return,
 * tally). See docs/customs.md. */
#ifndef HC_CLI_CMD_CUSTOMS_H
#define HC_CLI_CMD_CUSTOMS_H

/* argv[0] is "customs", argv[1] the sub-command. Returns the process exit
 * status: 0 done, 1 the message is invalid or an operation failed, 2 usage. */
int hc_cmd_customs(int argc, char **argv);

#endif
