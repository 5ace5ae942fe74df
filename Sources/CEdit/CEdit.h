#ifndef KRYTERIA_CEDIT_H
#define KRYTERIA_CEDIT_H
#include <stdio.h>
#include <editline/readline.h>
#endif
