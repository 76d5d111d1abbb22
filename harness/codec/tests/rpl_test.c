#include <criterion/criterion.h>
Test(rpl, placeholder) { cr_assert(1); }
