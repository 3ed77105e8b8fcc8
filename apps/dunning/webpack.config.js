module.exports = require('../../tools/build/nest-app.webpack.js')(__dirname);
