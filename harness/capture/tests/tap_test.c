#include <criterion/criterion.h>
Test(tap, placeholder) { cr_assert(1); }
