from kommunplan.cli import main

main()
