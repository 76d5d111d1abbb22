#include <criterion/criterion.h>
Test(decap, placeholder) { cr_assert(1); }
