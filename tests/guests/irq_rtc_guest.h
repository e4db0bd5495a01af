/* The MC146818A real-time clock and the PC's CMOS index/data ports (Motorola MC146818A
 * datasheet: "Address Map", "Register A" to "Register D"; IBM PC/AT: index port 0x70 bit 7
 * gates NMI, century byte at 0x32), as guest-irq-rtc reads them. */
#ifndef GUESTS_IRQ_RTC_GUEST_H
#define GUESTS_IRQ_RTC_GUEST_H

#include <stdbool.h>
#include <stdint.h>

#define CMOS_INDEX       0x70
#define CMOS_DATA        0x71
#define CMOS_NMI_DISABLE 0x80u

#define RTC_SECONDS  0x00
#define RTC_MINUTES  0x02
#define RTC_HOURS    0x04
#define RTC_DAY      0x07
#define RTC_MONTH    0x08
#define RTC_YEAR     0x09
#define RTC_REG_A    0x0a
#define RTC_REG_B    0x0b
#define RTC_REG_C    0x0c
#define RTC_REG_D    0x0d
#define RTC_CENTURY  0x32
/* A CMOS RAM byte no PC firmware or loader gives a meaning. */
#define CMOS_SCRATCH 0x7e

#define RTC_A_UIP     0x80u
#define RTC_A_DV_MASK 0x70u
#define RTC_A_DV_32K  0x20u /* DV2-0 = 010: 32.768 kHz time base */
#define RTC_A_RS_MASK 0x0fu
#define RTC_RS_1024HZ 0x06u
#define RTC_RS_64HZ   0x0au

#define RTC_B_SET  0x80u
#define RTC_B_PIE  0x40u
#define RTC_B_AIE  0x20u
#define RTC_B_UIE  0x10u
#define RTC_B_SQWE 0x08u
#define RTC_B_DM   0x04u /* 1: binary, 0: BCD */
#define RTC_B_24H  0x02u
#define RTC_B_DSE  0x01u

#define RTC_C_IRQF 0x80u
#define RTC_C_PF   0x40u
#define RTC_C_AF   0x20u
#define RTC_C_UF   0x10u

#define RTC_D_VRT   0x80u
#define RTC_HOUR_PM 0x80u /* 12-hour mode: bit 7 of the hours byte */

struct rtc_time {
	uint32_t year;
	uint8_t month, day, hour, minute, second;
};

/* Index port writes leave NMI enabled (bit 7 clear) unless asked otherwise. */
uint8_t cmos_read(uint8_t reg);
void cmos_write(uint8_t reg, uint8_t value);
uint8_t cmos_read_nmi_off(uint8_t reg);
void cmos_write_nmi_off(uint8_t reg, uint8_t value);

/* True when V is valid BCD (both digits 0-9). */
bool rtc_bcd_valid(uint8_t v);
/* A clock byte in register B's format (BCD or binary) as a number. */
uint8_t rtc_decode(uint8_t v, uint8_t reg_b);
/* Hours in 24-hour form, from either mode (12-hour: 12 AM is 0, bit 7 is PM). */
uint8_t rtc_decode_hours(uint8_t v, uint8_t reg_b);
/* Waits (bounded to 10 ms) for UIP to read 0; false if it never did. */
bool rtc_wait_uip_clear(void);

/* The periodic and update-ended interrupts on IRQ8 (irq_rtc_irq.c). */
void rtc_test_interrupts(void);

#endif
