#include <criterion/criterion.h>
Test(wpan, placeholder) { cr_assert(1); }
