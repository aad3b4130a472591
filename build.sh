gcc -O2 -g -I/work/main -I$1 -o /tmp/fb/fb /tmp/fb/fb.c $1/libmodel.a -lsqlite3 -lyaml -ljansson -lz -lpthread -lm
