from echolot.cli import main

main()
