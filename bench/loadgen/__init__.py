"""The load tool behind bench/load.py: simulated students over Streamlit's websocket protocol.

procstats  RSS and CPU of a process tree, the machine     client     HTTP GET and one browser tab
server     a `streamlit run` on a loopback port            scenarios  the links students open
phases     load / steady / burst and the phase record      targets    warm-up and phases per target
report     the printed table and the ratios to the floor   cli        the command line and the report
"""
