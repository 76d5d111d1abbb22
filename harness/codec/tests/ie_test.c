#include <criterion/criterion.h>
Test(ie, placeholder) { cr_assert(1); }
