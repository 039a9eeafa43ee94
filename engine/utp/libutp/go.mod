module github.com/anacrolix/go-libutp

go 1.24
