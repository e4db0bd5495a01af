/* guest-iso-exc: the #NP and #DF part (iso_exc_df.c). */
#ifndef GUESTS_ISO_EXC_H
#define GUESTS_ISO_EXC_H

/* #NP from a software INT through a not-present gate, then #DF when delivering #GP finds
 * the #GP gate not present (SDM Vol. 3A §6.15 Table 6-5: contributory then contributory). */
void exc_double_fault_tests(void);

#endif
