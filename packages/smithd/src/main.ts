process.stderr.write('smithd: not implemented yet\n');
