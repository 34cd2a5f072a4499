/dev/fd/3: line 59: ./product/comfy: No such file or directory
