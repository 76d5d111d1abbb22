#include <criterion/criterion.h>
Test(sec, placeholder) {}
