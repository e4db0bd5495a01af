/* What each guest program provides to the common start code. */
#ifndef GUESTS_GUEST_H
#define GUESTS_GUEST_H

/* Program name, the prefix of every test name ("pae", "long", ...). */
extern const char guest_name[];
/* Runs the program's tests; the caller prints the summary and exits. */
void guest_main(void);

#endif
