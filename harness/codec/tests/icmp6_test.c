#include <criterion/criterion.h>
Test(icmp6, placeholder) { cr_assert(1); }
