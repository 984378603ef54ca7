from chipclass.cli import main

main()
