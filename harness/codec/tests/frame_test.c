#include <criterion/criterion.h>
Test(frame, placeholder) { cr_assert(1); }
