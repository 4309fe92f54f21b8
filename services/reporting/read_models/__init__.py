"""The read models of reporting, each owned by the source it is projected from: its tables
(declared once, as row types), the projection that writes them and the queries that read
them."""
