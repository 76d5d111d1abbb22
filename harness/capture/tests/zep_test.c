#include <criterion/criterion.h>
Test(zep, placeholder) { cr_assert(1); }
